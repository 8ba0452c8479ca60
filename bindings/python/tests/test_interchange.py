"""Interchange through the door: import.csv, export.csv, export.iati and backup (the rules are the Swift suites')."""

from __future__ import annotations

from pathlib import Path

import pytest

import cds

SHEET = "\ufeffRéf;Nom;Genre;Rôles;Pays de résidence;Origine;Date d'inscription\r\n" \
        "M-1;عائشة آيت علي;f;diaspora;FR;09.581.01.05;13/02/2026\r\n" \
        "M-2;Brahim Aït Ouarab;m;diaspora|adc;FR;09.581.03.03;30/02/2026\r\n"


def test_import_csv_dry_run_answers_problems_as_rows_and_writes_nothing(db: cds.Database) -> None:
    report = db.import_.csv(entity="members", csv=SHEET, dates="fr", dry_run=True)
    assert report["written"] is False and report["rows"] == 2
    assert report["problems"] == [{"row": 3, "column": "Date d'inscription", "value": "30/02/2026",
                                   "reason": "is not a date (JJ/MM/AAAA or AAAA-MM-JJ)"}]
    assert db.member.list()["items"] == []


def test_import_csv_from_a_path_imports_then_updates_by_ref(db: cds.Database, tmp_path: Path) -> None:
    sheet = tmp_path / "members.csv"
    sheet.write_text(SHEET.replace("30/02/2026", "28/02/2026"), encoding="utf-8")
    first = db.call("import.csv", {"entity": "members", "path": str(sheet), "dates": "fr"})
    assert (first["created"], first["written"]) == (2, True)
    again = db.import_.csv(entity="members", path=str(sheet), dates="fr")
    assert (again["created"], again["unchanged"]) == (0, 2)
    names = {m["name"] for m in db.member.list()["items"]}
    assert "عائشة آيت علي" in names


def test_import_csv_errors_are_exceptions_with_the_field(db: cds.Database) -> None:
    with pytest.raises(cds.InvalidParamsError) as e:
        db.import_.csv(entity="members")
    assert e.value.details["field"] == "csv"
    with pytest.raises(cds.InvalidParamsError) as e:
        db.import_.csv(entity="donors", csv="a")
    assert e.value.details["field"] == "entity"


def test_export_csv_answers_text_with_bom_and_semicolons(db: cds.Database) -> None:
    db.import_.csv(entity="members", csv=SHEET.replace("30/02/2026", "28/02/2026"), dates="fr")
    out = db.export.csv(entity="members", separator=";", bom=True)
    assert out["rows"] == 2
    assert out["csv"].startswith("\ufeffid;ref;name;gender;")
    assert ";M-1;عائشة آيت علي;f;" in out["csv"]


def test_export_iati_answers_xml_or_the_rules_broken(db: cds.Database) -> None:
    org = db.organization.create(kind="facilitator", name="CDS Souss-Massa", iati_ref="XI-IATI-CDSSM")
    assert org["iati_ref"] == "XI-IATI-CDSSM"
    p = db.project.create(title={"fr": "Eau potable", "ar": "الماء الصالح للشرب"}, communes=["09.581.03.03"], sector="EAU",
                          summary={"fr": "Raccorder 60 foyers"}, start_on="2026-09-01", end_on="2027-03-31",
                          lead_organization=org["id"])
    xml = db.export.iati(projects=[p["id"]])["xml"]
    assert "<iati-identifier>XI-IATI-CDSSM-" in xml and 'xml:lang="ar"' in xml
    with pytest.raises(cds.ConflictError) as e:
        db.export.iati(projects=[db.project.create(title={"fr": "Idée"})["id"]])
    assert {p["rule"] for p in e.value.details["problems"]} == {"required"}
    assert db.export.iati(check=True)["ok"] is False


def test_backup_copies_the_file_and_verifies_it(db: cds.Database, tmp_path: Path) -> None:
    db.member.create(name="Naima", gender="f", roles=["diaspora"], residence_country="BE")
    copy = tmp_path / "copy.sqlite"
    answer = db.backup(path=str(copy))
    assert answer["verified"] is True and answer["events"] >= 1
    with cds.open(copy, trusted=True) as c:
        assert [m["name"] for m in c.member.list()["items"]] == ["Naima"]
    with pytest.raises(cds.ConflictError):
        db.backup(path=str(copy))
