"""Safe concurrent edits (#15): ETag on GET, If-Match on edits (412 when stale, 428 when
missing where a lost edit is costly: appointments, schedules, settings), `updated_since` on
the lists clients poll, and problem codes a front end can tell apart, in the client's language."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from scheduling_test_builders import API

from clinic_shared.auth import Principal
from clinic_shared.concurrency import PreconditionRequired
from clinic_shared.db import Database
from scheduling.directories.registry import DIRECTORIES
from scheduling.preferences import service as preferences
from scheduling.preferences.schemas import PreferencesUpdate

pytestmark = pytest.mark.asyncio(loop_scope="module")
STALE = '"999999"'


async def appointment_of(build: Any, day_offset: int = 1, clock: str = "10:00") -> dict[str, Any]:
    day = build.day(day_offset)
    doctor = await build.working_doctor(day)
    return await build.book(doctor["id"], day, clock)  # type: ignore[no-any-return]


# --- two receptionists -----------------------------------------------------------------------
async def test_two_receptionists_editing_the_same_appointment(build: Any, writer: dict[str, str]) -> None:
    appointment = await appointment_of(build)
    url = f"{API}/appointments/{appointment['id']}"
    first_read = await build.client.get(url, headers=build.headers)
    second_read = await build.client.get(url, headers=writer)
    assert first_read.headers["ETag"] == second_read.headers["ETag"] == f'"{appointment["version"]}"'

    first = await build.client.patch(
        url, json={"note": "перезвонить"}, headers={**build.headers, "If-Match": first_read.headers["ETag"]}
    )
    second = await build.client.patch(
        url, json={"note": "не звонить"}, headers={**writer, "If-Match": second_read.headers["ETag"]}
    )

    assert first.status_code == 200, first.text
    assert first.headers["ETag"] == f'"{appointment["version"] + 1}"' != first_read.headers["ETag"]
    assert second.status_code == 412, second.text
    problem = second.json()
    assert problem["code"] == "version-mismatch" and problem["type"] == "/problems/version-mismatch"
    assert problem["current_version"] == str(appointment["version"] + 1)
    assert problem["etag"] == first.headers["ETag"]
    now = (await build.client.get(url, headers=build.headers)).json()
    assert now["note"] == "перезвонить" and now["version"] == appointment["version"] + 1


async def test_a_stale_body_version_is_412_too(build: Any) -> None:
    appointment = await appointment_of(build)
    await build.edit("PATCH", f"/appointments/{appointment['id']}", json={"note": "первая"})

    # A client that cannot set headers names the version in the body instead of If-Match.
    response = await build.client.patch(
        f"{API}/appointments/{appointment['id']}",
        json={"note": "вторая", "version": appointment["version"]},
        headers=build.headers,
    )
    current = await build.client.patch(
        f"{API}/appointments/{appointment['id']}",
        json={"note": "вторая", "version": appointment["version"] + 1},
        headers=build.headers,
    )

    assert response.status_code == 412 and response.json()["current_version"] == str(appointment["version"] + 1)
    assert current.status_code == 200 and current.json()["note"] == "вторая"


async def test_if_match_star_matches_any_version(build: Any) -> None:
    appointment = await appointment_of(build)
    response = await build.client.patch(
        f"{API}/appointments/{appointment['id']}", json={"note": "x"}, headers={**build.headers, "If-Match": "*"}
    )
    assert response.status_code == 200 and response.headers["ETag"] == f'"{appointment["version"] + 1}"'


# --- every edit: 412 when stale, 428 when required and missing -------------------------------
# (method, path, body) of an edit, made for the test; `required`: 428 without If-Match.
Edit = tuple[str, str, Any]
Maker = Callable[[Any], Awaitable[Edit]]


async def _patch_appointment(build: Any) -> Edit:
    return "PATCH", f"/appointments/{(await appointment_of(build))['id']}", {"note": "x"}


async def _delete_appointment(build: Any) -> Edit:
    return "DELETE", f"/appointments/{(await appointment_of(build))['id']}", None


async def _status(build: Any) -> Edit:
    status = await build.status()
    return "POST", f"/appointments/{(await appointment_of(build))['id']}/status", {"status_id": status["id"]}


async def _link_card(build: Any) -> Edit:
    return "POST", f"/appointments/{(await appointment_of(build))['id']}/link-card", {"patient_id": str(uuid.uuid4())}


async def _to_waitlist(build: Any) -> Edit:
    return "POST", f"/appointments/{(await appointment_of(build))['id']}/to-waitlist", {}


async def _restore(build: Any) -> Edit:
    appointment = await appointment_of(build)
    deleted = await build.edit("DELETE", f"/appointments/{appointment['id']}")
    assert deleted.status_code == 204, deleted.text
    return "POST", f"/appointments/{appointment['id']}/restore", {}


async def _schedule(build: Any) -> dict[str, Any]:
    doctor = await build.doctor()
    return await build.schedule(day=build.day(5), doctor_id=doctor["id"])  # type: ignore[no-any-return]


async def _put_schedule(build: Any) -> Edit:
    body = {"intervals": [{"start": "09:00", "end": "17:00"}], "breaks": []}
    return "PUT", f"/schedules/{(await _schedule(build))['id']}", body


async def _add_break(build: Any) -> Edit:
    return "POST", f"/schedules/{(await _schedule(build))['id']}/breaks", {"start": "16:00", "end": "16:30"}


async def _delete_schedule(build: Any) -> Edit:
    return "DELETE", f"/schedules/{(await _schedule(build))['id']}", None


async def _put_settings(build: Any) -> Edit:
    return "PUT", "/settings", {"break_colour": "#FFD8A8"}


async def _put_online_settings(build: Any) -> Edit:
    return "PUT", "/online/settings", {"general_discount_percent": "0"}


async def _put_calendar_view(build: Any) -> Edit:
    return "PUT", "/settings/my-calendar-view", {"days_shown": 1}


async def _directory_item(build: Any, directory: str) -> dict[str, Any]:
    """A new item of the directory, made with the fields it requires."""
    if directory == "doctors":
        return await build.doctor()  # type: ignore[no-any-return]
    if directory == "services":
        return await build.service()  # type: ignore[no-any-return]
    codes = {"code": f"R{uuid.uuid4().hex[:6]}"} if directory == "record-types" else {}
    return await build.item(directory, **codes)  # type: ignore[no-any-return]


def _directory_edit(method: str, directory: str) -> Maker:
    """A PATCH (a new name) or a DELETE of a new item of the directory: all 13 share one router."""

    async def make(build: Any) -> Edit:
        item = await _directory_item(build, directory)
        change = {"last_name": "Петрова"} if directory == "doctors" else {"name": f"Новое {uuid.uuid4().hex[:6]}"}
        return method, f"/{directory}/{item['id']}", change if method == "PATCH" else None

    return make


async def _waitlist_entry(build: Any) -> str:
    return (await build.post("/waitlist", {"patient": build.patient()}))["id"]  # type: ignore[no-any-return]


async def _delete_waitlist_entry(build: Any) -> Edit:
    return "DELETE", f"/waitlist/{await _waitlist_entry(build)}", None


async def _link(build: Any) -> str:
    doctor, service = await build.doctor(online_booking=True), await build.service()
    body = {"doctor_id": doctor["id"], "service_id": service["id"]}
    return (await build.post("/online/links", body))["id"]  # type: ignore[no-any-return]


async def _patch_online_link(build: Any) -> Edit:
    return "PATCH", f"/online/links/{await _link(build)}", {"show_price": False}


async def _delete_online_link(build: Any) -> Edit:
    return "DELETE", f"/online/links/{await _link(build)}", None


REQUIRED: dict[str, Maker] = {
    "PATCH /appointments/{id}": _patch_appointment,
    "DELETE /appointments/{id}": _delete_appointment,
    "POST /appointments/{id}/status": _status,
    "POST /appointments/{id}/link-card": _link_card,
    "POST /appointments/{id}/to-waitlist": _to_waitlist,
    "PUT /schedules/{id}": _put_schedule,
    "POST /schedules/{id}/breaks": _add_break,
    "DELETE /schedules/{id}": _delete_schedule,
    "PUT /settings": _put_settings,
    "PUT /online/settings": _put_online_settings,
    "PUT /settings/my-calendar-view": _put_calendar_view,
}
HONOURED: dict[str, Maker] = {
    "POST /appointments/{id}/restore": _restore,
    **{
        f"{method} /{spec.path}/{{id}}": _directory_edit(method, spec.path)
        for spec in DIRECTORIES
        for method in ("PATCH", "DELETE")
    },
    "DELETE /waitlist/{id}": _delete_waitlist_entry,
    "PATCH /online/links/{id}": _patch_online_link,
    "DELETE /online/links/{id}": _delete_online_link,
}


def _etag_path(path: str) -> str:
    """Where the edited resource is read (an action's is its appointment or schedule)."""
    for action in ("/status", "/link-card", "/to-waitlist", "/restore", "/breaks"):
        path = path.removesuffix(action)
    return path


async def send(build: Any, edit: Edit, if_match: str | None) -> httpx.Response:
    method, path, body = edit
    headers = {**build.headers, **({"If-Match": if_match} if if_match is not None else {})}
    return await build.client.request(method, API + path, json=body, headers=headers)  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", [*REQUIRED, *HONOURED])
async def test_an_edit_made_from_another_version_is_412_and_changes_nothing(build: Any, name: str) -> None:
    edit = await {**REQUIRED, **HONOURED}[name](build)
    before = await build.client.get(API + _etag_path(edit[1]), headers=build.headers)

    response = await send(build, edit, STALE)

    assert response.status_code == 412, response.text
    assert response.json()["code"] == "version-mismatch"
    assert f'"{response.json()["current_version"]}"' == before.headers["ETag"] == response.json()["etag"]
    after = await build.client.get(API + _etag_path(edit[1]), headers=build.headers)
    assert after.status_code == 200 and after.headers["ETag"] == before.headers["ETag"]


@pytest.mark.parametrize("name", list(REQUIRED))
async def test_an_edit_without_if_match_is_428_where_required(build: Any, name: str) -> None:
    edit = await REQUIRED[name](build)

    response = await send(build, edit, None)

    assert response.status_code == 428, response.text
    assert response.json()["code"] == "if-match-required" and response.json()["etag"]


@pytest.mark.parametrize("name", list(HONOURED))
async def test_an_edit_without_if_match_goes_through_where_only_honoured(build: Any, name: str) -> None:
    edit = await HONOURED[name](build)

    response = await send(build, edit, None)

    assert response.status_code in (200, 204), response.text


@pytest.mark.parametrize("name", [n for n in REQUIRED if n != "POST /appointments/{id}/link-card"])
async def test_an_edit_with_the_current_etag_goes_through(build: Any, name: str) -> None:
    edit = await REQUIRED[name](build)
    current = await build.client.get(API + _etag_path(edit[1]), headers=build.headers)

    response = await send(build, edit, current.headers["ETag"])

    assert response.status_code in (200, 201, 204), response.text
    if "ETag" in response.headers:  # the answer's ETag is the new version
        assert response.headers["ETag"] != current.headers["ETag"]


async def test_a_calendar_view_never_saved_has_version_0(build: Any) -> None:
    headers = await build.platform.headers_with(["scheduling.read"])
    read = await build.client.get(f"{API}/settings/my-calendar-view", headers=headers)
    assert read.headers["ETag"] == '"0"'

    saved = await build.client.put(
        f"{API}/settings/my-calendar-view", json={"days_shown": 3}, headers={**headers, "If-Match": '"0"'}
    )
    again = await build.client.put(
        f"{API}/settings/my-calendar-view", json={"days_shown": 7}, headers={**headers, "If-Match": '"0"'}
    )

    assert saved.status_code == 200 and saved.headers["ETag"] != '"0"'
    assert again.status_code == 412


async def test_a_service_acting_on_its_own_behalf_needs_no_if_match(db: Database) -> None:
    ondoc = Principal(user_id=uuid.uuid4(), username="ondoc", rights=frozenset({"*"}), service="ondoc")
    user = Principal(user_id=uuid.uuid4(), username="admin", rights=frozenset({"*"}))
    async with db.session() as session:
        row = await preferences.update(session, principal=ondoc, data=PreferencesUpdate(grid_step_minutes=20))
        assert row.grid_step_minutes == 20
        with pytest.raises(PreconditionRequired):
            await preferences.update(session, principal=user, data=PreferencesUpdate(grid_step_minutes=30))


# --- updated_since ---------------------------------------------------------------------------
async def test_polling_lists_give_what_changed_since_deletions_included(build: Any) -> None:
    day = build.day(2)
    doctor = await build.working_doctor(day)
    untouched = await build.book(doctor["id"], day, "09:00")
    moved = await build.book(doctor["id"], day, "10:00")
    deleted = await build.book(doctor["id"], day, "11:00")
    since = datetime.now(UTC)
    old_entry = await _waitlist_entry(build)
    since_entries = datetime.now(UTC)
    assert (await build.edit("PATCH", f"/appointments/{moved['id']}", json={"note": "перенос"})).status_code == 200
    assert (await build.edit("DELETE", f"/appointments/{deleted['id']}")).status_code == 204
    new_entry = await _waitlist_entry(build)

    found = await build.get("/appointments", doctor_id=doctor["id"], updated_since=since.isoformat())
    calendar = await build.get(
        "/calendar",
        date_from=day.isoformat(),
        date_to=day.isoformat(),
        doctor_id=doctor["id"],
        updated_since=since.isoformat(),
    )
    waiting = await build.get("/waitlist", updated_since=since_entries.isoformat())
    everything = await build.get("/appointments", doctor_id=doctor["id"])

    assert {(a["id"], a["deleted"]) for a in found["items"]} == {(moved["id"], False), (deleted["id"], True)}
    cells = [cell for group in calendar["groups"] for column in group["columns"] for cell in column["appointments"]]
    assert {(c["id"], c["deleted"]) for c in cells} == {(moved["id"], False), (deleted["id"], True)}
    assert {i["id"] for i in waiting["items"]} == {new_entry} and old_entry != new_entry
    assert {a["id"] for a in everything["items"]} == {untouched["id"], moved["id"]}  # no trash without polling


async def test_updated_since_needs_a_time_zone(build: Any) -> None:
    response = await build.client.get(
        f"{API}/appointments", params={"updated_since": "2026-01-01T10:00:00"}, headers=build.headers
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "updated_since"


# --- problem codes, in the client's language --------------------------------------------------
async def test_a_taken_slot_is_slot_taken_in_russian_by_default_and_in_english_when_asked(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    await build.book(doctor["id"], day, "10:00")
    body = build.booking(doctor["id"], day, "10:00")

    russian = await build.client.post(
        f"{API}/appointments", json=body, headers={**build.headers, "Accept-Language": ""}
    )
    english = await build.client.post(
        f"{API}/appointments", json=body, headers={**build.headers, "Accept-Language": "en"}
    )

    assert russian.status_code == english.status_code == 409
    assert russian.json()["code"] == english.json()["code"] == "slot-taken"
    assert russian.json()["type"] == "/problems/slot-taken" and russian.headers["content-language"] == "ru"
    assert russian.json()["detail"] == "Время пересекается с другой записью на приём к этому врачу или в этот кабинет."
    assert english.json()["detail"] == "The time overlaps another appointment of the same doctor or cabinet."
    assert russian.json()["instance"] == f"{API}/appointments"


@pytest.mark.parametrize(
    ("clock", "code", "russian"),
    [
        ("13:15", "in-break", "Время приходится на перерыв врача."),
        ("19:00", "outside-working-hours", "Время вне рабочего времени врача."),
    ],
)
async def test_time_outside_the_working_day_has_its_own_code(build: Any, clock: str, code: str, russian: str) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    body = build.booking(doctor["id"], day, clock)

    response = await build.client.post(
        f"{API}/appointments", json=body, headers={**build.headers, "Accept-Language": "ru"}
    )

    assert response.status_code == 409 and response.json()["code"] == code
    assert response.json()["detail"] == russian


async def test_a_date_out_of_the_booking_window_is_booking_window(build: Any) -> None:
    far = build.day(400)
    doctor = await build.working_doctor(far)
    response = await build.client.post(
        f"{API}/appointments", json=build.booking(doctor["id"], far), headers={**build.headers, "Accept-Language": "ru"}
    )
    problem = response.json()
    assert response.status_code == 422 and problem["code"] == "booking-window"
    assert problem["errors"] == [
        {"field": "start", "code": "booking_window", "message": "запись возможна не более чем на 365 дн. вперёд"}
    ]


async def test_a_directory_item_in_use_is_in_use_and_says_so_in_russian(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    response = await build.client.delete(
        f"{API}/doctors/{doctor['id']}", headers={**build.headers, "Accept-Language": "ru"}
    )
    problem = response.json()
    assert response.status_code == 409 and problem["code"] == "in-use"
    assert problem["detail"].startswith("Элемент справочника «Врачи» используется")


async def test_a_schedule_change_stranding_appointments_is_schedule_conflict(build: Any) -> None:
    day = build.day(6)
    doctor = await build.doctor()
    schedule = await build.schedule(day=day, doctor_id=doctor["id"])
    appointment = await build.book(doctor["id"], day, "16:00")

    response = await build.edit(
        "PUT", f"/schedules/{schedule['id']}", json={"intervals": [{"start": "09:00", "end": "12:00"}], "breaks": []}
    )

    assert response.status_code == 409 and response.json()["code"] == "schedule-conflict"
    assert response.json()["conflicts"] == [appointment["id"]]
