"""Helpers shared by the tests."""

from __future__ import annotations

import cds

#: The fixed clock of every test database, so that dates and events are reproducible.
NOW = "2026-03-01T09:00:00Z"


def new_member(db: cds.Database, **fields: object) -> dict:
    """Creates a diaspora member with sensible defaults, overridden by ``fields``."""
    params: dict = {"name": "Amina Ait Lahcen", "gender": "f", "roles": ["diaspora"], "residence_country": "FR"}
    params.update(fields)
    return db.member.create(params)


def count(db: cds.Database, method: str, **params: object) -> int:
    """How many items a list method answers, over every page."""
    return sum(1 for _ in db.pages(method, limit=1000, **params))
