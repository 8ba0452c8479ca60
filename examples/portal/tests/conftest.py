"""Fixtures of the portal's tests: a fresh demo database made by the command line, the
portal over it, and accounts for the demo's staff (an admin path, as `python -m portal
demo-accounts` is)."""
from __future__ import annotations

import os
import pathlib
import re
import sqlite3
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT / "bindings" / "python"), str(ROOT / "examples")]
os.environ.setdefault("CDS_LIBRARY", str(ROOT / ".build" / "release" / "libcds.so"))

import cds  # noqa: E402

from portal.accounts import Accounts  # noqa: E402
from portal.app import create_app  # noqa: E402

CLI = os.environ.get("CDS_CLI", str(ROOT / ".build" / "release" / "cds-cli"))
PASSWORD = "a-long-test-password"


def make_demo(tmp: pathlib.Path) -> dict:
    """Writes the demo database and gives its staff portal accounts; answers their ids."""
    db = tmp / "demo.sqlite"
    subprocess.run([CLI, "demo", str(db)], check=True, stdout=subprocess.DEVNULL)
    accounts = Accounts(str(tmp / "accounts.sqlite"))
    with cds.open(str(db), trusted=True) as lib:      # the tests' admin path, as demo-accounts
        people = lib.member.list(limit=1000)["items"]
        projects = lib.project.list(limit=1000)["items"]
        needs = lib.need.list(limit=1000)["items"]
    by_name = {m["name"]: m["id"] for m in people}
    staff = {"facilitator": "Samira Ait Lahcen", "adc_anzi": "Youssef Oubaha",
             "mayor_anzi": "Mohamed Ait Said", "adc_talmakante": "Fatima Zahra Idbelkas",
             "brahim": "Brahim Ait Ouarab", "naima": "Naima El Khattabi"}
    ids = {}
    for role, name in staff.items():
        accounts.create(f"{role}@test.cds", PASSWORD, by_name[name])
        ids[role] = by_name[name]
    ids["db"], ids["accounts"] = str(db), str(tmp / "accounts.sqlite")
    ids["projects"] = {p["code"]: p["id"] for p in projects}
    ids["project_titles"] = {p["title"]["fr"]: p["id"] for p in projects}
    ids["needs"] = {n["description"]: n["id"] for n in needs}
    return ids


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> dict:
    return make_demo(tmp_path_factory.mktemp("demo-template"))


def copy_demo(demo_template: dict, tmp_path: pathlib.Path) -> dict:
    ids = dict(demo_template)
    for key, name in (("db", "demo.sqlite"), ("accounts", "accounts.sqlite")):
        src = sqlite3.connect(demo_template[key])
        dst = sqlite3.connect(str(tmp_path / name))
        src.backup(dst)                       # a consistent copy, WAL included
        src.close(); dst.close()
        ids[key] = str(tmp_path / name)
    return ids


@pytest.fixture()
def demo(demo_template: dict, tmp_path: pathlib.Path) -> dict:
    """A fresh copy of the demo database and its accounts for each test."""
    return copy_demo(demo_template, tmp_path)


class Portal:
    """The Flask test client, with the CSRF token read from each page as a browser would."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.base = "https://localhost"

    def get(self, path: str, **kw):
        return self.client.get(path, base_url=self.base, **kw)

    def token(self, path: str) -> str:
        html = self.get(path).get_data(as_text=True)
        found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def post(self, path: str, data: dict, form_page: str | None = None, csrf: bool = True):
        data = dict(data)
        if csrf:
            data["csrf"] = self.token(form_page or path)
        return self.client.post(path, data=data, base_url=self.base)

    def login(self, who: str):
        r = self.post("/login", {"email": f"{who}@test.cds", "password": PASSWORD})
        assert r.status_code == 302, r.get_data(as_text=True)[:500]
        return r


@pytest.fixture()
def portal(demo: dict):
    app = create_app(demo["db"], demo["accounts"], b"test-secret")
    return Portal(app)


@pytest.fixture()
def make_portal(demo: dict):
    app = create_app(demo["db"], demo["accounts"], b"test-secret")
    return lambda: Portal(app)
