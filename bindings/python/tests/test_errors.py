"""Every error code becomes its exception class, and bad input never crashes the host."""

from __future__ import annotations

import json
import pickle

import pytest

import cds

from support import count, new_member


def raw_call(db: cds.Database, method: bytes, params: object) -> tuple[int, object]:
    """Calls cds_call directly through cffi; answers the status and the decoded answer."""
    lib = cds.load_library()
    out = cds.ffi.new("char **")
    status = lib.cds_call(db._handle, method, params, out)
    try:
        text = None if out[0] == cds.ffi.NULL else cds.ffi.string(out[0]).decode("utf-8")
    finally:
        lib.cds_free(out[0])
    return status, (None if text is None else json.loads(text))


def test_an_unknown_method_raises_unknown_method_error(db: cds.Database) -> None:
    with pytest.raises(cds.UnknownMethodError) as caught:
        db.call("member.fly")
    assert caught.value.code == "unknown_method"
    assert caught.value.method == "member.fly"
    with pytest.raises(cds.UnknownMethodError):
        db.no.such.method(x=1)


def test_an_unknown_field_is_invalid_params_naming_the_field_and_stores_nothing(db: cds.Database) -> None:
    with pytest.raises(cds.InvalidParamsError) as caught:
        db.member.create(name="Amina", gender="f", roles=["diaspora"], residence_country="FR", nmae="typo")
    error = caught.value
    assert error.code == "invalid_params"
    assert error.details["field"] == "nmae"
    assert error.field == "nmae"
    assert isinstance(error, ValueError)
    assert count(db, "member.list") == 0


def test_an_unknown_territory_code_is_not_found(db: cds.Database) -> None:
    with pytest.raises(cds.NotFoundError) as caught:
        db.territory.get(code="99.999.99.99")
    assert caught.value.code == "not_found"
    assert isinstance(caught.value, LookupError)
    assert caught.value.details.get("entity") == "territory"
    assert caught.value.details.get("id") == "99.999.99.99"


def test_an_unknown_territory_as_member_origin_is_invalid_params(db: cds.Database) -> None:
    with pytest.raises(cds.InvalidParamsError) as caught:
        new_member(db, origin="99.999.99.99")
    assert caught.value.details["field"] == "origin"
    assert count(db, "member.list") == 0


@pytest.mark.parametrize("limit", [-1, 0, 1001])
def test_a_limit_outside_1_to_1000_is_invalid_params(db: cds.Database, limit: int) -> None:
    with pytest.raises(cds.InvalidParamsError) as caught:
        db.member.list(limit=limit)
    assert caught.value.details["field"] == "limit"


def test_a_10_mb_member_name_is_invalid_params_and_nothing_is_stored(db: cds.Database) -> None:
    new_member(db, name="Amina")
    before = count(db, "member.list")
    with pytest.raises(cds.InvalidParamsError) as caught:
        new_member(db, name="x" * 10_000_000)
    assert caught.value.details["field"] == "name"
    assert count(db, "member.list") == before


def test_invalid_utf8_bytes_answer_an_error_not_a_crash(db: cds.Database) -> None:
    status, answer = raw_call(db, b"territory.get", b'{"code": "\xff"}')
    assert status == 1  # CDS_ERROR
    assert answer["error"]["code"] == "invalid_json"
    # The handle still works afterwards.
    assert db.territory.get(code="09.541.11.33")["level"] == "commune"


def test_malformed_json_is_invalid_json(db: cds.Database) -> None:
    status, answer = raw_call(db, b"territory.get", b'{"code": ')
    assert status == 1
    assert answer["error"]["code"] == "invalid_json"


def test_params_that_are_not_an_object_are_invalid_params(db: cds.Database) -> None:
    status, answer = raw_call(db, b"territory.get", b"[1]")
    assert status == 1
    assert answer["error"]["code"] == "invalid_params"
    assert answer["error"]["details"]["field"] == "params"


def test_a_null_handle_or_method_is_misuse_and_leaves_the_answer_null(db: cds.Database) -> None:
    lib = cds.load_library()
    out = cds.ffi.new("char **")
    assert lib.cds_call(cds.ffi.NULL, b"meta.version", cds.ffi.NULL, out) == 2  # CDS_MISUSE
    assert out[0] == cds.ffi.NULL
    assert lib.cds_call(db._handle, cds.ffi.NULL, cds.ffi.NULL, out) == 2
    assert out[0] == cds.ffi.NULL
    assert lib.cds_call(db._handle, b"meta.version", cds.ffi.NULL, cds.ffi.NULL) == 2


def test_a_misuse_answer_raises_misuse_error(db: cds.Database) -> None:
    handle = db._handle
    db._handle = cds.ffi.NULL  # what a broken host would pass
    try:
        with pytest.raises(cds.MisuseError):
            db.meta.version()
    finally:
        db._handle = handle


def test_opening_a_file_in_a_missing_folder_raises_a_cds_error(tmp_path) -> None:
    with pytest.raises(cds.Error) as caught:
        cds.open(tmp_path / "missing" / "cds.sqlite", trusted=True)
    assert caught.value.code == "storage"
    assert isinstance(caught.value, cds.StorageError)


def test_an_unknown_open_option_is_invalid_params_naming_it() -> None:
    with pytest.raises(cds.InvalidParamsError) as caught:
        cds.open(":memory:", bogus=1)
    assert caught.value.details["field"] == "bogus"


def test_every_error_code_maps_to_its_class() -> None:
    expected = {
        "invalid_json": cds.InvalidJSONError,
        "unknown_method": cds.UnknownMethodError,
        "invalid_params": cds.InvalidParamsError,
        "not_found": cds.NotFoundError,
        "conflict": cds.ConflictError,
        "transition_not_allowed": cds.TransitionNotAllowedError,
        "forbidden": cds.ForbiddenError,
        "storage": cds.StorageError,
        "busy": cds.BusyError,
        "interrupted": cds.InterruptedCallError,
        "internal": cds.InternalError,
        "misuse": cds.MisuseError,
        "closed": cds.ClosedError,
    }
    assert cds.ERRORS == expected
    for code, cls in expected.items():
        assert issubclass(cls, cds.Error)
        error = cds.error_from_json({"code": code, "message": "m", "details": {}})
        assert type(error) is cls and error.code == code


def test_an_unknown_error_code_becomes_a_plain_error_keeping_its_code() -> None:
    error = cds.error_from_json({"code": "quota_exceeded", "message": "too many", "details": {"max": 3}})
    assert type(error) is cds.Error
    assert (error.code, error.message, error.details) == ("quota_exceeded", "too many", {"max": 3})


def test_transition_not_allowed_lists_what_is_missing() -> None:
    missing = [{"key": "funding_plan.covers_budget", "label": "Le plan de financement couvre le budget"}]
    error = cds.error_from_json({"code": "transition_not_allowed", "message": "m", "details": {"missing": missing}})
    assert isinstance(error, cds.TransitionNotAllowedError)
    assert error.missing == missing


def test_errors_survive_pickling() -> None:
    error = cds.error_from_json({"code": "invalid_params", "message": "m", "details": {"field": "name"}}, "member.create")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cds.InvalidParamsError
    assert (copy.code, copy.message, copy.details, copy.method) == ("invalid_params", "m", {"field": "name"}, "member.create")
