"""If-Match rules (clinic_shared.concurrency): plain functions, no service."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from clinic_shared.auth import Principal
from clinic_shared.concurrency import (
    PreconditionFailed,
    PreconditionRequired,
    check_body_version,
    check_if_match,
    etag,
    version_of,
)

ROW = SimpleNamespace(version=7)
USER = Principal(user_id=uuid.uuid4(), username="reception1")
SERVICE = Principal(user_id=uuid.uuid4(), username="ondoc", service="ondoc")


def test_the_version_is_the_counter_when_there_is_one() -> None:
    assert version_of(ROW) == "7" and etag(ROW) == '"7"'


def test_the_version_is_the_update_time_without_a_counter() -> None:
    row = SimpleNamespace(updated_at=datetime(2026, 12, 6, 10, 0, 0, 123456, tzinfo=UTC))
    assert version_of(row) == str(int(row.updated_at.timestamp() * 1_000_000))


def test_a_row_with_neither_has_no_version() -> None:
    with pytest.raises(TypeError):
        version_of(SimpleNamespace())


@pytest.mark.parametrize("header", ['"7"', 'W/"7"', '"6", "7"', "*", ' "7" '])
def test_a_matching_if_match_lets_the_edit_through(header: str) -> None:
    check_if_match(header, ROW, USER, required=True)


@pytest.mark.parametrize("header", ['"6"', '"8"', "7", '"6", "8"', ""])
def test_another_version_is_refused_with_the_current_one(header: str) -> None:
    with pytest.raises(PreconditionFailed) as refused:
        check_if_match(header, ROW, USER)
    assert refused.value.status == 412 and refused.value.extra == {"current_version": "7", "etag": '"7"'}


def test_no_if_match_where_required_is_refused_for_a_user() -> None:
    with pytest.raises(PreconditionRequired) as refused:
        check_if_match(None, ROW, USER, required=True)
    assert refused.value.status == 428 and refused.value.extra["etag"] == '"7"'


def test_no_if_match_where_required_is_allowed_for_a_service() -> None:
    check_if_match(None, ROW, SERVICE, required=True)


def test_no_if_match_where_not_required_is_allowed() -> None:
    check_if_match(None, ROW, USER)


@pytest.mark.parametrize(("version", "refused"), [(None, False), (7, False), (6, True), (8, True)])
def test_a_body_version_is_checked_like_if_match(version: int | None, refused: bool) -> None:
    if refused:
        with pytest.raises(PreconditionFailed):
            check_body_version(version, ROW)
    else:
        check_body_version(version, ROW)
