"""The :class:`Database` handle and its attribute-style method proxies."""

from __future__ import annotations

import datetime as _dt
import json
import keyword
import os
import threading
from types import TracebackType
from typing import Any, Dict, Iterator, Mapping, Optional, Type, Union

from . import _library
from ._library import ffi
from .errors import ClosedError, Error, InternalError, MisuseError, error_from_json

__all__ = ["Database", "MethodProxy", "open"]

_CDS_OK = 0
_CDS_ERROR = 1
_CDS_MISUSE = 2

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


def _json_default(value: Any) -> Any:
    """Serializes dates as ``YYYY-MM-DD`` and aware datetimes as RFC 3339 UTC."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise TypeError(
                f"naive datetime {value!r}: CDS instants are UTC, give a timezone-aware datetime"
            )
        utc = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return utc.isoformat() + "Z"
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _dumps(value: Any) -> bytes:
    """The UTF-8 JSON text the C ABI takes (non-ASCII kept as is, no NaN)."""
    return json.dumps(
        value, ensure_ascii=False, allow_nan=False, default=_json_default
    ).encode("utf-8")


def _python_name(name: str) -> str:
    """``from_`` → ``from``: a Python keyword escaped with a trailing underscore."""
    if name.endswith("_") and keyword.iskeyword(name[:-1]):
        return name[:-1]
    return name


def _c_string(text: str, what: str) -> bytes:
    if not isinstance(text, str):
        raise TypeError(f"{what} must be a str, not {type(text).__name__}")
    data = text.encode("utf-8")
    if b"\0" in data:
        raise ValueError(f"{what} contains a NUL character: {text!r}")
    return data


def _take_string(lib: Any, pointer: Any) -> Optional[str]:
    """Reads a string the library returned and frees it, whatever happens."""
    if pointer == ffi.NULL:
        return None
    try:
        return ffi.string(pointer).decode("utf-8", errors="replace")
    finally:
        lib.cds_free(pointer)


def _parse_answer(text: Optional[str], method: Optional[str]) -> Any:
    if text is None:
        raise InternalError("the library answered no JSON", method=method)
    try:
        return json.loads(text)
    except ValueError as error:
        raise InternalError(
            f"the library answered invalid JSON ({error}): {text[:200]!r}", method=method
        ) from None


def _pages(call: Any, method: str, params: Optional[Mapping[str, Any]], kw: Mapping[str, Any]) -> Iterator[Any]:
    """Every item of a list method, calling ``call`` again with ``cursor`` until ``next_cursor`` is null."""
    merged: Dict[str, Any] = dict(params) if params is not None else {}
    merged.update((_python_name(key), value) for key, value in kw.items())
    while True:
        page = call(method, merged)
        yield from page.get("items", [])
        cursor = page.get("next_cursor")
        if not cursor:
            return
        merged["cursor"] = cursor


class MethodProxy:
    """A method name under construction: ``db.member`` then ``db.member.create``.

    Reading an attribute extends the name with a dot; calling the proxy calls the
    method. A segment that is a Python keyword takes a trailing underscore
    (``db.import_.csv(...)`` calls ``import.csv``).
    """

    __slots__ = ("_database", "_name")

    def __init__(self, database: "Database", name: str) -> None:
        self._database = database
        self._name = name

    def __getattr__(self, attribute: str) -> "MethodProxy":
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        return MethodProxy(self._database, f"{self._name}.{_python_name(attribute)}")

    def __call__(self, params: Optional[Mapping[str, Any]] = None, /, **kw: Any) -> Any:
        """Calls the method this proxy names; see :meth:`Database.call`."""
        return self._database.call(self._name, params, **kw)

    def __repr__(self) -> str:
        return f"<cds method {self._name!r} of {self._database!r}>"


class Database:
    """One open CDS database (a SQLite file or ``:memory:``).

    Open it with :func:`cds.open`. Every domain operation is a JSON method, called
    with :meth:`call` or attribute-style::

        with cds.open("cds.sqlite", busy_timeout_ms=5000) as db:
            commune = db.territory.get(code="09.541.11.33")
            member = db.member.create(name="Amina", gender="f", roles=["diaspora"],
                                      residence_country="FR")
            db.call("member.update", {"id": member["id"], "residence_city": "Lyon"})

    A database may be used from several threads at once: calls run concurrently
    (the library serializes writes). :meth:`close` waits for the calls in flight,
    and calls made after it raise :class:`~cds.ClosedError`.
    """

    def __init__(self, path: PathLike, **options: Any) -> None:
        """Opens (creating and migrating it if needed) the database at ``path``.

        Args:
            path: a SQLite file, or ``":memory:"``.
            **options: the options object of ``cds_open``, e.g.
                ``now="2026-03-01T09:00:00Z"`` (a fixed clock),
                ``busy_timeout_ms=5000``, ``read_only=True``.

        Raises:
            cds.Error: the subclass for the error code the library answered
                (``storage`` for a file that cannot be opened, for instance).
            cds.LibraryNotFound: libcds.so cannot be found.
        """
        self._handle: Any = None
        self._cond = threading.Condition(threading.Lock())
        self._in_flight = 0
        self._closing = False
        self._path = os.fsdecode(path) if not isinstance(path, str) else path

        lib = _library.load_library()
        raw_path = os.fsencode(path)
        if b"\0" in raw_path:
            raise ValueError(f"path contains a NUL character: {path!r}")
        options_json = _dumps(options) if options else ffi.NULL
        out_db = ffi.new("cds_db **")
        out_error = ffi.new("char **")
        status = lib.cds_open(raw_path, options_json, out_db, out_error)
        error_text = _take_string(lib, out_error[0])
        if status == _CDS_OK and out_db[0] != ffi.NULL:
            self._handle = out_db[0]
            return
        if out_db[0] != ffi.NULL:  # defensive: never leak a handle
            lib.cds_close(out_db[0])
        if status == _CDS_MISUSE:
            raise MisuseError("cds_open answered CDS_MISUSE", method="cds_open")
        if error_text is None:
            raise InternalError(f"cds_open failed (status {status}) without an error", method="cds_open")
        answer = _parse_answer(error_text, "cds_open")
        error = answer.get("error", answer) if isinstance(answer, dict) else answer
        raise error_from_json(error, method="cds_open")

    # -- calls ------------------------------------------------------------------

    def call(self, method: str, params: Optional[Mapping[str, Any]] = None, /, **kw: Any) -> Any:
        """Calls one JSON method and answers its ``result``.

        Args:
            method: the method name, e.g. ``"member.create"``.
            params: the parameters object; ``kw`` is merged into it (``kw`` wins on
                a repeated key). A keyword that is a Python keyword takes a trailing
                underscore: ``from_=...`` sends ``"from"``. Dates and timezone-aware
                datetimes are serialized as CDS dates and instants.

        Returns:
            The decoded ``result`` of the answer (usually a ``dict``).

        Raises:
            cds.Error: the subclass of :data:`cds.ERRORS` for the answered code
                (:class:`~cds.InvalidParamsError`, :class:`~cds.NotFoundError`, ...).
            cds.MisuseError: the C call answered ``CDS_MISUSE``.
            cds.ClosedError: the database is closed.
            TypeError, ValueError: ``params`` cannot be serialized to JSON.
        """
        method_bytes = _c_string(method, "method")
        if params is not None and not isinstance(params, Mapping):
            raise TypeError(f"params must be a mapping, not {type(params).__name__}")
        if params is None and not kw:
            params_json: Any = ffi.NULL
        else:
            merged: Dict[str, Any] = dict(params) if params is not None else {}
            merged.update((_python_name(key), value) for key, value in kw.items())
            params_json = _dumps(merged)
        lib = _library.load_library()
        out = ffi.new("char **")
        handle = self._acquire(method)
        try:
            status = lib.cds_call(handle, method_bytes, params_json, out)
        finally:
            self._release()
        text = _take_string(lib, out[0])
        if status == _CDS_MISUSE:
            raise MisuseError("cds_call answered CDS_MISUSE", method=method)
        answer = _parse_answer(text, method)
        if not isinstance(answer, dict):
            raise InternalError(f"the library answered a non-object: {answer!r}", method=method)
        if status == _CDS_OK and "result" in answer:
            return answer["result"]
        if status == _CDS_ERROR and "error" in answer:
            raise error_from_json(answer["error"], method=method)
        raise InternalError(f"unexpected answer (status {status}): {text[:200]!r}", method=method)

    def pages(self, method: str, params: Optional[Mapping[str, Any]] = None, /, **kw: Any) -> Iterator[Any]:
        """Iterates over every item of a list method, following ``next_cursor``.

        ``db.pages("member.list", role="adc")`` yields the members one by one,
        calling the method again with ``cursor`` until ``next_cursor`` is null.
        """
        return _pages(self.call, method, params, kw)

    def __getattr__(self, name: str) -> MethodProxy:
        """``db.member`` → a proxy whose ``create(...)`` calls ``member.create``."""
        if name.startswith("_"):
            raise AttributeError(name)
        return MethodProxy(self, _python_name(name))

    def acting_as(self, actor: Optional[str]) -> "Actor":
        """The same database, every call made by ``actor`` (a member's id; ``None``: an
        anonymous visitor), as a portal does for the signed-in person of a request::

            me = db.acting_as(session["member_id"])
            me.member.get(id=session["member_id"])      # her own contact fields
            me.project.transition(project=p, to="formulation")

        The access table decides what she may do and see (``forbidden`` otherwise). The host
        authenticates people; the library trusts the id it is given.
        """
        if actor is not None and not isinstance(actor, str):
            raise TypeError(f"actor must be a member id or None, not {type(actor).__name__}")
        return Actor(self, actor)

    def interrupt(self) -> None:
        """Stops the calls in progress on this database, from any thread.

        Each raises :class:`~cds.InterruptedCallError` soon; what it was writing is
        rolled back. Calls made afterwards run as usual. A no-op on a closed database.
        """
        with self._cond:
            if self._handle is None or self._closing:
                return
            self._in_flight += 1
            handle = self._handle
        try:
            _library.load_library().cds_interrupt(handle)
        finally:
            self._release()

    # -- lifetime ---------------------------------------------------------------

    def _acquire(self, method: str) -> Any:
        with self._cond:
            if self._handle is None or self._closing:
                raise ClosedError(f"the database {self._path!r} is closed", method=method)
            self._in_flight += 1
            return self._handle

    def _release(self) -> None:
        with self._cond:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._cond.notify_all()

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has started."""
        with self._cond:
            return self._handle is None or self._closing

    @property
    def path(self) -> str:
        """The path the database was opened with."""
        return self._path

    def close(self) -> None:
        """Closes the database, after the calls in flight finish.

        Idempotent: closing again (or from another thread meanwhile) does nothing
        more. Later calls raise :class:`~cds.ClosedError`.
        """
        cond = getattr(self, "_cond", None)
        if cond is None:  # __init__ failed before the handle existed
            return
        with cond:
            if self._handle is None:
                return
            if self._closing:  # another thread is closing: wait for it
                while self._handle is not None:
                    cond.wait()
                return
            self._closing = True
            while self._in_flight:
                cond.wait()
            handle, self._handle = self._handle, None
            try:
                _library.load_library().cds_close(handle)
            finally:
                cond.notify_all()

    def __enter__(self) -> "Database":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: modules may already be gone
            pass

    def __repr__(self) -> str:
        state = "closed" if self._handle is None or self._closing else "open"
        return f"<cds.Database {self._path!r} ({state})>"


def open(path: PathLike, **options: Any) -> Database:  # noqa: A001 - mirrors sqlite3.connect
    """Opens the CDS database at ``path`` (``":memory:"`` for a private one).

    ``options`` become the options object: ``now="2026-03-01T09:00:00Z"``,
    ``busy_timeout_ms=5000``, ``read_only=True``. See :class:`Database`.
    """
    return Database(path, **options)


class Actor:
    """A :class:`Database` seen by one caller: every call carries her ``actor`` (see
    :meth:`Database.acting_as`). Calls that give ``actor`` themselves are refused, so one
    request cannot act as another person by mistake."""

    __slots__ = ("_database", "_actor")

    def __init__(self, database: Database, actor: Optional[str]) -> None:
        self._database = database
        self._actor = actor

    @property
    def actor(self) -> Optional[str]:
        """The member this view acts as (``None``: an anonymous visitor)."""
        return self._actor

    def call(self, method: str, params: Optional[Mapping[str, Any]] = None, /, **kw: Any) -> Any:
        """Calls ``method`` as :attr:`actor`; see :meth:`Database.call`."""
        merged: Dict[str, Any] = dict(params) if params is not None else {}
        merged.update((_python_name(key), value) for key, value in kw.items())
        if "actor" in merged:
            raise ValueError("this view acts as its actor: do not pass actor to its calls")
        if self._actor is not None:
            merged["actor"] = self._actor
        return self._database.call(method, merged)

    def pages(self, method: str, params: Optional[Mapping[str, Any]] = None, /, **kw: Any) -> Iterator[Any]:
        """Iterates over every item of a list method as :attr:`actor`; see :meth:`Database.pages`."""
        return _pages(self.call, method, params, kw)

    def __getattr__(self, name: str) -> MethodProxy:
        """``me.member`` → a proxy whose ``get(...)`` calls ``member.get`` as :attr:`actor`."""
        if name.startswith("_"):
            raise AttributeError(name)
        return MethodProxy(self, _python_name(name))  # type: ignore[arg-type]

    def __repr__(self) -> str:
        who = self._actor or "anonymous"
        return f"<cds.Actor {who} on {self._database!r}>"
