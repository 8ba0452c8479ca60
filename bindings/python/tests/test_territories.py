"""Reference data: Morocco's administrative tree."""

from __future__ import annotations

import cds


def test_territory_get_answers_talmakante_a_commune_of_province_09_541(db: cds.Database) -> None:
    talmakante = db.territory.get(code="09.541.11.33")
    assert talmakante["code"] == "09.541.11.33"
    assert talmakante["name"] == {"fr": "Talmakante", "ar": "تالماكانت"}
    assert talmakante["level"] == "commune"
    assert talmakante["parent"] == "09.541"


def test_call_and_attribute_style_answer_the_same(db: cds.Database) -> None:
    assert db.call("territory.get", {"code": "09.541.11.33"}) == db.territory.get({"code": "09.541.11.33"})


def test_territory_list_of_the_communes_of_province_09_541_answers_89(db: cds.Database) -> None:
    page = db.territory.list({"level": "commune", "parent": "09.541"})
    assert len(page["items"]) == 89
    assert page["next_cursor"] is None
    assert all(item["level"] == "commune" and item["parent"] == "09.541" for item in page["items"])
    assert "09.541.11.33" in {item["code"] for item in page["items"]}


def test_pages_follow_next_cursor_to_the_last_item(db: cds.Database) -> None:
    codes = [item["code"] for item in db.pages("territory.list", level="commune", parent="09.541", limit=10)]
    assert len(codes) == 89
    assert len(set(codes)) == 89
