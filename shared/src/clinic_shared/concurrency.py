"""Safe concurrent edits (#15): every editable resource has a version a client sees as its
`ETag`, and an edit names the version it was made from in `If-Match`.

Two receptionists open the same appointment; the first moves it, the second's later change
would silently undo the move. With `If-Match` the second gets 412 with the current version
instead, reloads and decides again. Where a lost edit is costly (appointments, cards,
schedules, settings) an edit without `If-Match` is refused with 428; services and the ONDOC
bridge acting on their own behalf (a service token) are exempt, as they re-read before writing.

The version is the row's `version` counter where it has one, otherwise its `updated_at`
(`version_of`). The ETag is the version in quotes (`"7"`, `"1733485200123456"`).

A router uses it in three lines::

    @router.get("/things/{thing_id}")
    async def get_thing(..., response: Response) -> ThingRead:
        thing = await service.get(...)
        set_etag(response, thing)
        return thing

    @router.patch("/things/{thing_id}")
    async def update_thing(..., if_match: IfMatch, principal: Writer, response: Response):
        thing = await service.get(..., for_update=True)
        check_if_match(if_match, thing, principal, required=True)
        ...
        set_etag(response, thing)
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Header, Response

from clinic_shared.auth import Principal
from clinic_shared.errors import ClinicError

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description=(
            "The ETag of the version this change was made from (from the GET's `ETag`). "
            "Another version answers 412 with the current one; `*` matches any."
        ),
        examples=['"7"'],
    ),
]


STALE = "Someone changed this since you read it: reload it and make your change again."


class PreconditionFailed(ClinicError):
    status, title, code = 412, "Precondition failed", "version-mismatch"


class PreconditionRequired(ClinicError):
    status, title, code = 428, "Precondition required", "if-match-required"


def version_of(row: Any) -> str:
    """A row's version: its `version` counter, else its `updated_at` in microseconds."""
    version = getattr(row, "version", None)
    if isinstance(version, int):
        return str(version)
    updated_at = getattr(row, "updated_at", None)
    if isinstance(updated_at, datetime):
        return str(int(updated_at.timestamp() * 1_000_000))
    raise TypeError(f"{type(row).__name__} has neither version nor updated_at")


def etag(row: Any) -> str:
    return f'"{version_of(row)}"'


def set_etag(response: Response, row: Any) -> None:
    response.headers["ETag"] = etag(row)


def _tags(header: str) -> list[str]:
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


def check_if_match(if_match: str | None, row: Any, principal: Principal | None, *, required: bool = False) -> None:
    """Refuse an edit of `row` made from another version (412, naming the current one), or,
    when `required`, one that names no version at all (428) unless a service makes it."""
    current = etag(row)
    if if_match is None:
        if required and (principal is None or principal.service is None):
            raise PreconditionRequired(
                "Send If-Match with the ETag of the version you changed (GET it first).",
                current_version=version_of(row),
                etag=current,
            )
        return
    tags = _tags(if_match)
    if "*" in tags or current in tags:
        return
    raise PreconditionFailed(STALE, current_version=version_of(row), etag=current)


def check_if_match_or_absent(
    if_match: str | None, row: Any | None, principal: Principal | None, *, required: bool = False
) -> None:
    """`check_if_match` for a PUT that creates its row when it is missing. Without a row there is
    nothing to lose: no precondition is needed and `*` passes, but a version named is stale
    (someone deleted the row since it was read): 412."""
    if row is not None:
        check_if_match(if_match, row, principal, required=required)
        return
    tags = _tags(if_match or "")
    if tags and "*" not in tags:
        raise PreconditionFailed(STALE)


def check_body_version(version: int | None, row: Any) -> None:
    """The same check for a `version` field in the body (clients that cannot set headers)."""
    if version is not None and str(version) != version_of(row):
        raise PreconditionFailed(STALE, current_version=version_of(row), etag=etag(row))
