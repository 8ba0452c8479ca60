"""The binding finds libcds.so and refuses one of another ABI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import cds

BINDING_DIR = Path(__file__).resolve().parents[1]


def run_python(code: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60,
    )


def test_the_loaded_library_implements_the_abi_version_of_the_generated_header() -> None:
    first_line = (BINDING_DIR / "cds" / "cds_ffi.h").read_text(encoding="utf-8").splitlines()[0]
    assert f"CDS_ABI_VERSION={cds.ABI_VERSION}" in first_line
    assert cds.abi_version() == cds.ABI_VERSION


def test_meta_version_agrees_with_the_c_version_functions() -> None:
    with cds.open(":memory:", trusted=True) as db:
        meta = db.meta.version()
    assert meta["version"] == cds.version()
    assert meta["abi"] == cds.abi_version()
    assert isinstance(meta["schema"], int)


def test_a_missing_library_raises_library_not_found(tmp_path: Path) -> None:
    env = dict(os.environ, CDS_LIBRARY=str(tmp_path / "nowhere" / "libcds.so"),
               PYTHONPATH=str(BINDING_DIR))
    result = run_python(
        """
        import cds
        try:
            cds.version()
        except cds.LibraryNotFound as error:
            assert isinstance(error, OSError)
            assert "nowhere" in str(error), str(error)
            print("LibraryNotFound")
        """,
        tmp_path, env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "LibraryNotFound"


def test_the_library_next_to_the_package_is_found_without_the_environment(tmp_path: Path) -> None:
    package = tmp_path / "cds"
    shutil.copytree(BINDING_DIR / "cds", package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(cds.library_path(), package / "libcds.so")
    env = {k: v for k, v in os.environ.items() if k != "CDS_LIBRARY"}
    env["PYTHONPATH"] = str(tmp_path)
    result = run_python("import cds; print(cds.library_path().parent, cds.abi_version())", tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(package), str(cds.ABI_VERSION)]


def test_a_library_of_another_abi_version_is_refused(tmp_path: Path) -> None:
    # A copy of the package whose header claims another ABI: the real library must be refused.
    package = tmp_path / "cds"
    shutil.copytree(BINDING_DIR / "cds", package, ignore=shutil.ignore_patterns("__pycache__", "libcds.so"))
    header = package / "cds_ffi.h"
    text = header.read_text(encoding="utf-8")
    header.write_text(
        text.replace(f"CDS_ABI_VERSION={cds.ABI_VERSION}", f"CDS_ABI_VERSION={cds.ABI_VERSION + 41}", 1),
        encoding="utf-8",
    )
    env = dict(os.environ, CDS_LIBRARY=str(cds.library_path()), PYTHONPATH=str(tmp_path))
    result = run_python(
        """
        import cds
        try:
            cds.open(":memory:", trusted=True)
        except cds.ABIVersionMismatch as error:
            print(error.expected, error.found)
        """,
        tmp_path, env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(cds.ABI_VERSION + 41), str(cds.ABI_VERSION)]
