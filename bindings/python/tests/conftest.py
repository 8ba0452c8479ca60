"""Runs the tests against the real libcds.so, never a mock.

The library is ``$CDS_LIBRARY`` when set, else ``<repo>/.build/release/libcds.so``
(``swift build -c release`` from the repository root), found from this file's place.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator

import pytest

BINDING_DIR = Path(__file__).resolve().parents[1]  # bindings/python
REPO_DIR = BINDING_DIR.parents[1]  # the repository root
DEFAULT_LIBRARY = REPO_DIR / ".build" / "release" / "libcds.so"

if not os.environ.get("CDS_LIBRARY"):
    os.environ["CDS_LIBRARY"] = str(DEFAULT_LIBRARY)
if str(BINDING_DIR) not in sys.path:
    sys.path.insert(0, str(BINDING_DIR))

import cds  # noqa: E402

from support import NOW  # noqa: E402


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A fresh database file in the test's temporary folder."""
    return tmp_path / "cds.sqlite"


@pytest.fixture
def db(db_path: Path) -> Iterator[cds.Database]:
    """An open database on a fresh file, closed after the test."""
    database = cds.open(db_path, now=NOW, busy_timeout_ms=5000, trusted=True)
    try:
        yield database
    finally:
        database.close()
