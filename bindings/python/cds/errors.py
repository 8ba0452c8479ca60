"""The exceptions a call can raise: one class per error code of the JSON door.

Every error the library answers, ``{"error": {"code", "message", "details"}}``,
becomes an instance of the class :data:`ERRORS` maps its code to (a code this
binding does not know becomes a plain :class:`Error`), carrying the raw code,
the message and the details::

    try:
        db.territory.get(code="99.999")
    except cds.NotFoundError as error:
        print(error.code, error.details)   # not_found {'entity': 'territory', ...}
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Type

__all__ = [
    "Error",
    "InvalidJSONError",
    "UnknownMethodError",
    "InvalidParamsError",
    "NotFoundError",
    "ConflictError",
    "TransitionNotAllowedError",
    "ForbiddenError",
    "StorageError",
    "BusyError",
    "InterruptedCallError",
    "InternalError",
    "MisuseError",
    "ClosedError",
    "ERRORS",
    "error_from_json",
]


class Error(Exception):
    """An error answered by CDS core (or found by the binding before calling it).

    Attributes:
        code: the raw error code, e.g. ``"invalid_params"``.
        message: the human-readable message.
        details: the structured details (``{}`` when there are none), e.g.
            ``{"field": "name", "reason": "..."}`` for ``invalid_params``.
        method: the method that failed, when known.
    """

    #: The code of this class; the instance's :attr:`code` may differ for plain ``Error``.
    default_code: str = "error"

    def __init__(
        self,
        message: str = "",
        code: Optional[str] = None,
        details: Optional[Mapping[str, Any]] = None,
        method: Optional[str] = None,
    ) -> None:
        self.code: str = code if code is not None else self.default_code
        self.message: str = message
        self.details: Dict[str, Any] = dict(details) if details else {}
        self.method: Optional[str] = method
        super().__init__(message)

    def __str__(self) -> str:
        where = f" (in {self.method})" if self.method else ""
        return f"{self.code}: {self.message}{where}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, code={self.code!r}, "
            f"details={self.details!r}, method={self.method!r})"
        )

    def __reduce__(self) -> Any:
        return (type(self), (self.message, self.code, self.details, self.method))


class InvalidJSONError(Error):
    """``invalid_json``: the parameters were not valid JSON (or not UTF-8)."""

    default_code = "invalid_json"


class UnknownMethodError(Error):
    """``unknown_method``: no method has that name (see ``meta.methods``)."""

    default_code = "unknown_method"


class InvalidParamsError(Error, ValueError):
    """``invalid_params``: a parameter is missing, unknown or invalid.

    ``details`` names the ``field`` and the ``reason``.
    """

    default_code = "invalid_params"

    @property
    def field(self) -> Optional[str]:
        """The offending field (``details["field"]``), when the library named it."""
        value = self.details.get("field")
        return value if isinstance(value, str) else None


class NotFoundError(Error, LookupError):
    """``not_found``: no entity with that id or code; ``details`` hold ``entity`` and ``id``."""

    default_code = "not_found"


class ConflictError(Error):
    """``conflict``: the change contradicts the current state (a duplicate, for instance)."""

    default_code = "conflict"


class TransitionNotAllowedError(Error):
    """``transition_not_allowed``: a workflow transition's guards failed.

    :attr:`missing` lists every unmet requirement at once,
    ``[{"key": "funding_plan.covers_budget", "label": "..."}, ...]``.
    """

    default_code = "transition_not_allowed"

    @property
    def missing(self) -> list[Any]:
        """The unmet requirements, ``details["missing"]`` (``[]`` when absent)."""
        value = self.details.get("missing")
        return list(value) if isinstance(value, list) else []


class ForbiddenError(Error):
    """``forbidden``: the actor's role may not do this."""

    default_code = "forbidden"


class StorageError(Error):
    """``storage``: the database file could not be opened, read or written."""

    default_code = "storage"


class BusyError(Error):
    """``busy``: another writer held the database longer than ``busy_timeout_ms``."""

    default_code = "busy"


class InterruptedCallError(Error):
    """``interrupted``: :meth:`~cds.Database.interrupt` stopped the call; nothing was written."""

    default_code = "interrupted"


class InternalError(Error):
    """``internal``: a bug in CDS core (or an answer the binding could not read)."""

    default_code = "internal"


class MisuseError(Error):
    """The C function answered ``CDS_MISUSE``: a NULL handle, method or out pointer."""

    default_code = "misuse"


class ClosedError(Error):
    """``closed``: the :class:`~cds.Database` was closed before this call."""

    default_code = "closed"


#: Error code → exception class, for every code the binding knows.
ERRORS: Dict[str, Type[Error]] = {
    cls.default_code: cls
    for cls in (
        InvalidJSONError,
        UnknownMethodError,
        InvalidParamsError,
        NotFoundError,
        ConflictError,
        TransitionNotAllowedError,
        ForbiddenError,
        StorageError,
        BusyError,
        InterruptedCallError,
        InternalError,
        MisuseError,
        ClosedError,
    )
}


def error_from_json(error: Any, method: Optional[str] = None) -> Error:
    """Builds the exception for the ``"error"`` object of an answer.

    An unknown code gives a plain :class:`Error` that keeps the code; a malformed
    object gives an :class:`InternalError`.
    """
    if not isinstance(error, dict) or not isinstance(error.get("code"), str):
        return InternalError(f"the library answered a malformed error: {error!r}", method=method)
    code: str = error["code"]
    message = error.get("message")
    details = error.get("details")
    cls = ERRORS.get(code, Error)
    return cls(
        message if isinstance(message, str) else "",
        code=code,
        details=details if isinstance(details, dict) else None,
        method=method,
    )
