"""How the calendar is painted and what each user's calendar opens with (SCH-19):
the clinic's colours and non-working time in `/settings`, `/settings/my-calendar-view` per user."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from scheduling_test_builders import API

from clinic_shared.auth import Principal
from clinic_shared.errors import Forbidden
from clinic_shared.testing.platform import Platform
from scheduling.preferences.router import calendar_user

pytestmark = pytest.mark.asyncio(loop_scope="module")
DISPLAY_DEFAULTS = {
    "working_time_colour": "#FFFFFF",
    "break_colour": "#FFD8A8",
    "non_working_time_colour": "#E9ECEF",
    "show_non_working_time": False,
}
VIEW = f"{API}/settings/my-calendar-view"


@pytest_asyncio.fixture(loop_scope="module")
async def settings(build: Any) -> AsyncIterator[Any]:
    """PUT /settings for one test; the display defaults are put back after it."""

    async def put(**values: Any) -> Any:
        return await build.edit("PUT", "/settings", json=values, headers=build.headers)

    yield put
    await put(**DISPLAY_DEFAULTS)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def viewer(module_platform: Platform) -> dict[str, str]:
    """A user who may only read scheduling and never saves a view (so sees the defaults)."""
    return await module_platform.headers_with(["scheduling.read"])


async def view_of(build: Any, headers: dict[str, str]) -> dict[str, Any]:
    response = await build.client.get(VIEW, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def save_view(build: Any, headers: dict[str, str], **values: Any) -> Any:
    return await build.edit("PUT", VIEW.removeprefix(API), json=values, headers=headers)


# --- the clinic's display settings ----------------------------------------------------------
async def test_the_calendar_colours_and_non_working_time_have_defaults(build: Any) -> None:
    current = await build.get("/settings")
    assert {k: current[k] for k in DISPLAY_DEFAULTS} == DISPLAY_DEFAULTS


async def test_changed_colours_are_shown_with_who_changed_them(build: Any, settings: Any) -> None:
    response = await settings(working_time_colour="#DFF5E1", break_colour="#F2994A", show_non_working_time=True)
    assert response.status_code == 200, response.text

    current = await build.get("/settings")

    assert current["working_time_colour"] == "#DFF5E1"
    assert current["break_colour"] == "#F2994A"
    assert current["non_working_time_colour"] == DISPLAY_DEFAULTS["non_working_time_colour"]
    assert current["show_non_working_time"] is True
    assert current["updated_by_username"] == "admin"
    assert not current["updated_at"].endswith("Z")


@pytest.mark.parametrize("field", ["working_time_colour", "break_colour", "non_working_time_colour"])
@pytest.mark.parametrize("colour", ["red", "#FFF", "#GGGGGG", "FFFFFF"])
async def test_a_colour_not_written_as_rrggbb_is_refused_naming_the_field(
    settings: Any, field: str, colour: str
) -> None:
    response = await settings(**{field: colour})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_changing_the_display_settings_needs_the_settings_right(build: Any, reader: dict[str, str]) -> None:
    response = await build.edit("PUT", "/settings", json={"break_colour": "#000000"}, headers=reader)
    assert response.status_code == 403


async def test_day_types_keep_their_own_colour(build: Any) -> None:
    day_type = await build.item("day-types", colour="#9B51E0")
    assert (await build.get(f"/day-types/{day_type['id']}"))["colour"] == "#9B51E0"


# --- each user's calendar view ---------------------------------------------------------------
async def test_a_user_who_never_saved_a_view_gets_the_defaults(build: Any, viewer: dict[str, str]) -> None:
    view = await view_of(build, viewer)
    assert view == {
        "doctor_ids": [],
        "days_shown": 1,
        "show_non_working_time": None,
        "non_working_time_shown": False,
        "updated_at": None,
    }


async def test_a_saved_view_is_read_back(build: Any) -> None:
    first, second = await build.doctor(), await build.doctor(last_name="Петров")
    body = {"doctor_ids": [second["id"], first["id"]], "days_shown": 3, "show_non_working_time": True}

    response = await save_view(build, build.headers, **body)

    assert response.status_code == 200, response.text
    view = await view_of(build, build.headers)
    assert {k: view[k] for k in body} == body
    assert view["non_working_time_shown"] is True
    assert view["updated_at"] is not None and not view["updated_at"].endswith("Z")


async def test_fields_left_out_keep_their_value(build: Any, reader: dict[str, str]) -> None:
    doctor = await build.doctor()
    await save_view(build, reader, doctor_ids=[doctor["id"]], days_shown=7)

    assert (await save_view(build, reader, show_non_working_time=False)).status_code == 200

    view = await view_of(build, reader)
    assert (view["doctor_ids"], view["days_shown"], view["show_non_working_time"]) == ([doctor["id"]], 7, False)


async def test_two_users_keep_separate_views(build: Any, writer: dict[str, str]) -> None:
    mine, theirs = await build.doctor(), await build.doctor()
    await save_view(build, build.headers, doctor_ids=[mine["id"]], days_shown=7)
    await save_view(build, writer, doctor_ids=[theirs["id"]], days_shown=1)

    assert (await view_of(build, build.headers))["doctor_ids"] == [mine["id"]]
    assert (await view_of(build, writer))["doctor_ids"] == [theirs["id"]]
    assert (await view_of(build, build.headers))["days_shown"] == 7


@pytest.mark.parametrize("days", [0, 2, 5, 14])
async def test_days_shown_other_than_1_3_or_7_is_refused(build: Any, reader: dict[str, str], days: int) -> None:
    response = await save_view(build, reader, days_shown=days)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["days_shown"]


async def test_an_unknown_doctor_is_refused_naming_doctor_ids(build: Any, reader: dict[str, str]) -> None:
    known, unknown = await build.doctor(), str(uuid.uuid4())

    response = await save_view(build, reader, doctor_ids=[known["id"], unknown])

    assert response.status_code == 422
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == ["doctor_ids"]
    assert unknown in problem["errors"][0]["message"]


async def test_a_doctor_removed_from_the_directory_drops_out_of_the_view(build: Any, reader: dict[str, str]) -> None:
    kept, removed = await build.doctor(), await build.doctor()
    await save_view(build, reader, doctor_ids=[kept["id"], removed["id"]])

    response = await build.edit("DELETE", f"/doctors/{removed['id']}", headers=build.headers)
    assert response.status_code == 204, response.text

    assert (await view_of(build, reader))["doctor_ids"] == [kept["id"]]


async def test_a_view_without_its_own_choice_follows_the_clinic_setting(
    build: Any, viewer: dict[str, str], settings: Any
) -> None:
    assert (await settings(show_non_working_time=True)).status_code == 200

    view = await view_of(build, viewer)

    assert view["show_non_working_time"] is None
    assert view["non_working_time_shown"] is True


async def test_the_view_needs_the_calendar_read_right(build: Any, module_platform: Platform) -> None:
    outsider = await module_platform.headers_with(["scheduling.export"])

    assert (await build.client.get(VIEW, headers=outsider)).status_code == 403
    assert (await save_view(build, outsider, days_shown=3)).status_code == 403


async def test_a_service_token_has_no_calendar_view() -> None:
    service = Principal(user_id=uuid.uuid4(), username="", rights=frozenset({"scheduling.read"}), service="ondoc")
    with pytest.raises(Forbidden):
        await calendar_user(service)
