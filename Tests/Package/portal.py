"""A portal's first steps with the installed wheel, and nothing else: no CDS_LIBRARY, no Swift.

    python portal.py VERSION STUBS_DIR

Run by Tests/Package/run inside a fresh virtual environment where only the wheel and cffi are
installed. VERSION is the packaged library's; STUBS_DIR the repository's bindings/python/cds,
whose .pyi and py.typed must be what the wheel installed.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import cds

version, stubs = sys.argv[1], Path(sys.argv[2])
assert "CDS_LIBRARY" not in os.environ, "the wheel must find its own library"
assert shutil.which("swift") is None, "a Swift toolchain is on PATH"

package = Path(cds.__file__).resolve().parent
assert Path(sys.prefix) in package.parents, f"cds is imported from {package}, not from the venv {sys.prefix}"
assert cds.library_path() == package / "libcds.so", cds.library_path()
for name in ["py.typed", *(p.name for p in stubs.glob("*.pyi"))]:
    assert (package / name).read_bytes() == (stubs / name).read_bytes(), f"the wheel's {name} differs from the repository's"
assert cds.version() == version, (cds.version(), version)

with cds.open(":memory:", trusted=True) as db:
    assert db.meta.version()["version"] == version
    assert db.territory.get(code="09.541.11.33")["name"]["fr"] == "Talmakante"

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "portal.sqlite")
    with cds.open(path, busy_timeout_ms=5000, trusted=True) as db:
        amina = db.member.create(name="Amina Ait Lahcen", gender="f", roles=["diaspora"], residence_country="FR",
                                 residence_city="Lyon", origin="09.541.11.33", languages=["fr", "ar"])
        adc = db.member.create(name="Youssef Id Ali", gender="m", roles=["adc"], residence_country="MA",
                               adc_commune="09.581.03.03")
        project = db.project.create(title={"fr": "Eau potable du douar Ait Ali"}, communes=["09.581.03.03"],
                                    adc=adc["id"], actor=adc["id"])
        try:
            db.member.create(name="Nadia", gender="w", roles=["diaspora"], residence_country="BE")
        except cds.InvalidParamsError as error:
            assert error.code == "invalid_params" and error.details["field"] == "gender", error.details
        else:
            raise AssertionError("gender 'w' was accepted")
        try:
            db.project.get(id="prj_missing")
        except cds.NotFoundError as error:
            assert error.code == "not_found"
        else:
            raise AssertionError("a missing project was found")

    with cds.open(path, read_only=True, trusted=True) as db:  # what the first handle wrote is in the file
        members = [m["id"] for m in db.pages("member.list", limit=1)]
        assert sorted(members) == sorted([amina["id"], adc["id"]]), members
        assert [p["id"] for p in db.pages("project.list")] == [project["id"]]
        assert db.project.get(id=project["id"])["stage"] == "idea"

    with cds.open(path, read_only=True) as portal:  # a portal's handle: each request acts as its member
        assert portal.acting_as(amina["id"]).member.get(id=amina["id"])["residence_city"] == "Lyon"
        page = portal.member.list()
        assert page["items"] == [] and page["withheld"] == 2, page  # neither consents to publication
        try:
            portal.acting_as(amina["id"]).project.get(id=project["id"])
        except cds.ForbiddenError as error:
            assert error.details["rule"] == "project.unpublished", error.details
        else:
            raise AssertionError("another member saw a project before it is published")

print(f"portal script: cds {cds.version()} from {package}, 2 members, 1 project, errors answered")
