"""cds — Python binding of CDS core (Communauté de Développement Solidaire).

A thin, native-feeling door to ``libcds.so`` through cffi in ABI mode: one
:class:`Database` per SQLite file, every domain operation a JSON method called
attribute-style, every error code an exception class::

    import cds

    with cds.open("cds.sqlite", busy_timeout_ms=5000) as db:
        talmakante = db.territory.get(code="09.541.11.33")
        amina = db.member.create(name="Amina", gender="f", roles=["diaspora"],
                                 residence_country="FR", origin="09.541.11.33")
        try:
            db.member.create(name="Yassine", gender="m", roles=["diaspora"],
                             residence_country="BE", nmae="typo")
        except cds.InvalidParamsError as error:
            print(error.details["field"])          # nmae

The library is ``$CDS_LIBRARY`` (a full path) when set, else ``libcds.so`` next to
this package; it is loaded on first use.
"""

from __future__ import annotations

from ._library import (
    ABI_VERSION,
    LIBRARY_ENV,
    ABIVersionMismatch,
    LibraryError,
    LibraryNotFound,
    ffi,
    library_path,
    load_library,
)
from .database import Actor, Database, MethodProxy, open
from .errors import (
    ERRORS,
    BusyError,
    ClosedError,
    ConflictError,
    Error,
    ForbiddenError,
    InternalError,
    InterruptedCallError,
    InvalidJSONError,
    InvalidParamsError,
    MisuseError,
    NotFoundError,
    StorageError,
    TransitionNotAllowedError,
    UnknownMethodError,
    error_from_json,
)

__version__ = "0.1.0"

__all__ = [
    "ABI_VERSION",
    "ABIVersionMismatch",
    "Actor",
    "BusyError",
    "ClosedError",
    "ConflictError",
    "Database",
    "ERRORS",
    "Error",
    "ForbiddenError",
    "InternalError",
    "InterruptedCallError",
    "InvalidJSONError",
    "InvalidParamsError",
    "LIBRARY_ENV",
    "LibraryError",
    "LibraryNotFound",
    "MethodProxy",
    "MisuseError",
    "NotFoundError",
    "StorageError",
    "TransitionNotAllowedError",
    "UnknownMethodError",
    "abi_version",
    "error_from_json",
    "ffi",
    "library_path",
    "load_library",
    "open",
    "version",
]


def version() -> str:
    """The semantic version of the loaded libcds.so (``cds_version()``), e.g. ``"0.1.0"``."""
    lib = load_library()
    return ffi.string(lib.cds_version()).decode("utf-8")  # static string: never freed


def abi_version() -> int:
    """The ABI version the loaded libcds.so implements (``cds_abi_version()``).

    Loading already checked it equals :data:`ABI_VERSION`, the generated header's.
    """
    return int(load_library().cds_abi_version())
