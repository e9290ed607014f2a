"""Cards out of the archive through the gateway (PAT-9): give out, return, the list, refusals."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any

from patients_builders import ANY_VERSION

from clinic_shared.testing.platform import Platform
from patients.card_issues.models import CardIssue
from patients.cards.rules import clinic_today

CARDS = "/api/patients/cards"
CARDS_OUT = "/api/patients/cards-out"
SETTINGS = "/api/patients/settings"
CreateCard = Callable[..., Awaitable[dict[str, Any]]]
DOCTOR_ID = "00000000-0000-4000-8000-0000000000d1"  # fixed: test ids must be stable for xdist


def issue_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"recipient_kind": "doctor", "recipient_id": DOCTOR_ID, "recipient_name": "Сергеев С. С."}
    body.update(overrides)
    return body


async def give_out(platform: Platform, card_id: str, **overrides: Any) -> dict[str, Any]:
    response = await platform.client.post(
        f"{CARDS}/{card_id}/issues", json=issue_body(**overrides), headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def cards_out(platform: Platform, **params: Any) -> dict[str, Any]:
    response = await platform.client.get(CARDS_OUT, params=params, headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def read_card(platform: Platform, card_id: str) -> dict[str, Any]:
    response = await platform.client.get(f"{CARDS}/{card_id}", headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def today(platform: Platform) -> date:
    return clinic_today(_runtime(platform).settings.timezone)


def _runtime(platform: Platform) -> Any:
    return platform.app.state.embedded_apps["patients"].state.runtime


async def backdate(platform: Platform, issue_id: str, *, days: int) -> None:
    """Move an issue `days` into the past, as if it had been given out then (due day too)."""
    async with _runtime(platform).db.session() as session:
        issue = await session.get(CardIssue, uuid.UUID(issue_id))
        assert issue is not None
        issue.issued_at -= timedelta(days=days)
        issue.due_back -= timedelta(days=days)


def problem_fields(response: Any) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


# --- giving out and returning ---------------------------------------------------------


async def test_a_card_given_out_shows_to_whom_who_when_and_the_due_day(
    platform: Platform, create_card: CreateCard
) -> None:
    card = await create_card()
    issue = await give_out(platform, card["id"], note="на приём")
    assert issue["card_id"] == card["id"]
    assert (issue["recipient_kind"], issue["recipient_id"], issue["recipient_name"]) == (
        "doctor",
        DOCTOR_ID,
        "Сергеев С. С.",
    )
    assert issue["issued_by_username"] == "admin" and issue["issued_by"]
    assert datetime.fromisoformat(issue["issued_at"]).utcoffset() is not None
    assert issue["due_back"] == (today(platform) + timedelta(days=7)).isoformat()
    assert (issue["overdue"], issue["note"], issue["returned_at"]) == (False, "на приём", None)


async def test_the_card_view_tells_it_is_out_until_it_is_returned(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    assert (await read_card(platform, card["id"]))["out_of_archive"] is None
    issue = await give_out(
        platform, card["id"], recipient_kind="department", recipient_id=None, recipient_name="Хирургия"
    )
    out = (await read_card(platform, card["id"]))["out_of_archive"]
    assert out == {
        "issue_id": issue["id"],
        "recipient_kind": "department",
        "recipient_id": None,
        "recipient_name": "Хирургия",
        "issued_at": issue["issued_at"],
        "issued_by_username": "admin",
        "due_back": issue["due_back"],
        "overdue": False,
    }
    response = await platform.client.post(
        f"{CARDS}/{card['id']}/return", headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.status_code == 200, response.text
    assert (await read_card(platform, card["id"]))["out_of_archive"] is None


async def test_search_results_tell_which_cards_are_out(platform: Platform, create_card: CreateCard) -> None:
    out = await create_card(last_name="Выданный")
    await create_card(last_name="Вархиве")
    issue = await give_out(platform, out["id"])
    response = await platform.client.get(CARDS, params={"q": "в"}, headers=platform.admin_headers)
    shown = {c["last_name"]: c["out_of_archive"] for c in response.json()["items"]}
    assert shown["Вархиве"] is None
    assert shown["Выданный"]["issue_id"] == issue["id"]


async def test_a_due_day_can_be_named(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    due = (today(platform) + timedelta(days=30)).isoformat()
    assert (await give_out(platform, card["id"], due_back=due))["due_back"] == due
    same_day = await create_card(last_name="Сегодня")
    assert (await give_out(platform, same_day["id"], due_back=today(platform).isoformat()))["overdue"] is False


async def test_the_default_period_comes_from_the_card_settings(platform: Platform, create_card: CreateCard) -> None:
    assert (await platform.client.get(SETTINGS, headers=platform.admin_headers)).json()["card_out_days"] == 7
    response = await platform.client.put(
        SETTINGS,
        json={"required_fields_enabled": False, "card_out_days": 3},
        headers={**platform.admin_headers, **ANY_VERSION},
    )
    assert response.status_code == 200 and response.json()["card_out_days"] == 3
    card = await create_card()
    assert (await give_out(platform, card["id"]))["due_back"] == (today(platform) + timedelta(days=3)).isoformat()


async def test_settings_without_the_period_keep_it(platform: Platform) -> None:
    await platform.client.put(
        SETTINGS,
        json={"required_fields_enabled": False, "card_out_days": 10},
        headers={**platform.admin_headers, **ANY_VERSION},
    )
    response = await platform.client.put(
        SETTINGS, json={"required_fields_enabled": True}, headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.json()["card_out_days"] == 10


async def test_a_period_out_of_range_is_422_naming_it(platform: Platform) -> None:
    for days in (0, 366, "week"):
        response = await platform.client.put(
            SETTINGS,
            json={"required_fields_enabled": False, "card_out_days": days},
            headers={**platform.admin_headers, **ANY_VERSION},
        )
        assert response.status_code == 422 and problem_fields(response) == ["card_out_days"]


async def test_returning_records_who_and_when_and_the_card_can_go_out_again(
    platform: Platform, create_card: CreateCard
) -> None:
    card = await create_card()
    first = await give_out(platform, card["id"])
    headers = await platform.headers_with(["patients.read", "patients.write"])
    response = await platform.client.post(
        f"{CARDS}/{card['id']}/return", json={"note": "без замечаний"}, headers={**headers, **ANY_VERSION}
    )
    assert response.status_code == 200, response.text
    returned = response.json()
    assert returned["id"] == first["id"]
    assert returned["returned_by_username"].startswith("user-") and returned["returned_by"]
    assert returned["returned_at"] is not None and returned["return_note"] == "без замечаний"
    assert returned["overdue"] is False
    second = await give_out(platform, card["id"], recipient_name="Петрова П. П.")
    response = await platform.client.get(f"{CARDS}/{card['id']}/issues", headers=platform.admin_headers)
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    assert [i["id"] for i in body["items"]] == [second["id"], first["id"]]


async def test_giving_out_and_returning_are_journaled_as_new_card_versions(
    platform: Platform, create_card: CreateCard
) -> None:
    card = await create_card()
    issue = await give_out(platform, card["id"])
    await platform.client.post(f"{CARDS}/{card['id']}/return", headers={**platform.admin_headers, **ANY_VERSION})
    response = await platform.client.get(f"{CARDS}/{card['id']}/history", headers=platform.admin_headers)
    entries = response.json()["items"]
    assert [(e["action"], e["version"]) for e in entries] == [("created", 1), ("issued", 2), ("returned", 3)]
    given = {
        "issue_id": issue["id"],
        "recipient_kind": "doctor",
        "recipient_id": DOCTOR_ID,
        "recipient_name": "Сергеев С. С.",
        "due_back": issue["due_back"],
    }
    assert entries[1]["changes"] == [{"field": "out_of_archive", "old": None, "new": given}]
    assert entries[2]["changes"] == [{"field": "out_of_archive", "old": given, "new": None}]
    assert (await read_card(platform, card["id"]))["version"] == 3


async def test_giving_out_and_returning_are_audited(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await give_out(platform, card["id"])
    await platform.client.post(f"{CARDS}/{card['id']}/return", headers={**platform.admin_headers, **ANY_VERSION})
    response = await platform.client.get(
        "/api/patients/audit", params={"card_id": card["id"]}, headers=platform.admin_headers
    )
    assert [r["action"] for r in response.json()["items"]][:2] == ["return_card", "issue_card"]


async def test_a_card_deleted_while_out_can_still_be_returned(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await give_out(platform, card["id"])
    await platform.client.delete(f"{CARDS}/{card['id']}", headers={**platform.admin_headers, **ANY_VERSION})
    [line] = (await cards_out(platform))["items"]
    assert line["card"]["deleted"] is True
    response = await platform.client.post(
        f"{CARDS}/{card['id']}/return", headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.status_code == 200, response.text
    assert (await cards_out(platform))["total"] == 0


# --- refusals ---------------------------------------------------------------------------


async def test_a_card_already_out_is_409_naming_the_current_issue(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    issue = await give_out(platform, card["id"])
    response = await platform.client.post(
        f"{CARDS}/{card['id']}/issues",
        json=issue_body(recipient_name="Другой врач"),
        headers={**platform.admin_headers, **ANY_VERSION},
    )
    assert response.status_code == 409
    problem = response.json()
    assert problem["issue_id"] == issue["id"] and issue["id"] in problem["detail"]
    assert (problem["recipient_name"], problem["due_back"]) == ("Сергеев С. С.", issue["due_back"])
    assert (await cards_out(platform))["total"] == 1


async def test_returning_a_card_that_is_not_out_is_409(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    response = await platform.client.post(
        f"{CARDS}/{card['id']}/return", headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.status_code == 409
    await give_out(platform, card["id"])
    await platform.client.post(f"{CARDS}/{card['id']}/return", headers={**platform.admin_headers, **ANY_VERSION})
    again = await platform.client.post(
        f"{CARDS}/{card['id']}/return", headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert again.status_code == 409
    assert (await read_card(platform, card["id"]))["version"] == 3


async def test_an_unknown_card_is_404(platform: Platform) -> None:
    unknown = uuid.uuid4()
    headers = platform.admin_headers
    assert (
        await platform.client.post(f"{CARDS}/{unknown}/issues", json=issue_body(), headers={**headers, **ANY_VERSION})
    ).status_code == 404
    assert (
        await platform.client.post(f"{CARDS}/{unknown}/return", headers={**headers, **ANY_VERSION})
    ).status_code == 404
    assert (await platform.client.get(f"{CARDS}/{unknown}/issues", headers=headers)).status_code == 404


async def test_a_deleted_card_cannot_be_given_out(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await platform.client.delete(f"{CARDS}/{card['id']}", headers={**platform.admin_headers, **ANY_VERSION})
    response = await platform.client.post(
        f"{CARDS}/{card['id']}/issues", json=issue_body(), headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.status_code == 409 and "deleted" in response.json()["detail"]
    assert (await cards_out(platform))["total"] == 0


async def test_giving_out_and_returning_need_the_write_right(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    reader = await platform.headers_with(["patients.read"])
    response = await platform.client.post(
        f"{CARDS}/{card['id']}/issues", json=issue_body(), headers={**reader, **ANY_VERSION}
    )
    assert response.status_code == 403 and "patients.write" in response.json()["detail"]
    await give_out(platform, card["id"])
    response = await platform.client.post(f"{CARDS}/{card['id']}/return", headers={**reader, **ANY_VERSION})
    assert response.status_code == 403 and "patients.write" in response.json()["detail"]
    assert (await platform.client.get(CARDS_OUT, headers=reader)).status_code == 200


async def test_the_lists_need_the_read_right(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    auditor = await platform.headers_with(["patients.audit"])
    for path in (CARDS_OUT, f"{CARDS}/{card['id']}/issues"):
        response = await platform.client.get(path, headers=auditor)
        assert response.status_code == 403 and "patients.read" in response.json()["detail"]


async def test_a_due_day_in_the_past_is_422_naming_it(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    yesterday = (today(platform) - timedelta(days=1)).isoformat()
    response = await platform.client.post(
        f"{CARDS}/{card['id']}/issues",
        json=issue_body(due_back=yesterday),
        headers={**platform.admin_headers, **ANY_VERSION},
    )
    assert response.status_code == 422 and problem_fields(response) == ["due_back"]
    assert (await read_card(platform, card["id"]))["out_of_archive"] is None


async def test_bad_due_days_are_422_naming_due_back(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    for due in ((today(platform) + timedelta(days=400)).isoformat(), "31.12.2030", "2030-02-30", 5):
        response = await platform.client.post(
            f"{CARDS}/{card['id']}/issues",
            json=issue_body(due_back=due),
            headers={**platform.admin_headers, **ANY_VERSION},
        )
        assert response.status_code == 422, due
        assert problem_fields(response) == ["due_back"]


async def test_bad_recipients_are_422_naming_the_field(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    cases = [
        (issue_body(recipient_kind="patient"), "recipient_kind"),
        (issue_body(recipient_name="   "), "recipient_name"),
        (issue_body(recipient_name="x" * 201), "recipient_name"),
        (issue_body(recipient_name="a\x00b"), "recipient_name"),
        (issue_body(recipient_id="not-a-uuid"), "recipient_id"),
        (issue_body(colour="red"), "colour"),
        ({"recipient_kind": "doctor"}, "recipient_name"),
    ]
    for body, field in cases:
        response = await platform.client.post(
            f"{CARDS}/{card['id']}/issues", json=body, headers={**platform.admin_headers, **ANY_VERSION}
        )
        assert response.status_code == 422, body
        assert problem_fields(response) == [field]


async def test_a_bad_return_note_is_422_naming_it(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await give_out(platform, card["id"])
    response = await platform.client.post(
        f"{CARDS}/{card['id']}/return", json={"note": "x" * 1001}, headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.status_code == 422 and problem_fields(response) == ["note"]
    assert (await read_card(platform, card["id"]))["out_of_archive"] is not None


# --- «Карты вне архива» -------------------------------------------------------------------


async def test_the_list_shows_cards_out_with_their_cards_earliest_due_first(
    platform: Platform, create_card: CreateCard
) -> None:
    late = await create_card(last_name="Поздний")
    soon = await create_card(last_name="Скорый")
    back = await create_card(last_name="Вернувшийся")
    await give_out(platform, late["id"], due_back=(today(platform) + timedelta(days=20)).isoformat())
    await give_out(platform, soon["id"], due_back=(today(platform) + timedelta(days=2)).isoformat())
    await give_out(platform, back["id"])
    await platform.client.post(f"{CARDS}/{back['id']}/return", headers={**platform.admin_headers, **ANY_VERSION})
    body = await cards_out(platform)
    assert body["total"] == 2
    assert [line["card"]["last_name"] for line in body["items"]] == ["Скорый", "Поздний"]
    line = body["items"][0]
    assert line["card"]["id"] == soon["id"] and line["card"]["card_number"] == soon["card_number"]
    assert line["card_id"] == soon["id"] and line["returned_at"] is None


async def test_the_list_is_paged_with_a_total(platform: Platform, create_card: CreateCard) -> None:
    for index in range(3):
        card = await create_card(last_name=f"Карта{index}")
        await give_out(platform, card["id"], due_back=(today(platform) + timedelta(days=index)).isoformat())
    page = await cards_out(platform, limit=1, offset=1)
    assert page["total"] == 3
    assert [line["card"]["last_name"] for line in page["items"]] == ["Карта1"]


async def test_overdue_cards_are_flagged_and_can_be_listed_alone(platform: Platform, create_card: CreateCard) -> None:
    overdue = await create_card(last_name="Просроченный")
    fresh = await create_card(last_name="Свежий")
    old_issue = await give_out(platform, overdue["id"])
    await give_out(platform, fresh["id"])
    await backdate(platform, old_issue["id"], days=8)  # given out 8 days ago, due back yesterday
    only_overdue = await cards_out(platform, overdue="true")
    assert [line["card"]["last_name"] for line in only_overdue["items"]] == ["Просроченный"]
    assert only_overdue["items"][0]["overdue"] is True and only_overdue["total"] == 1
    assert [line["card"]["last_name"] for line in (await cards_out(platform, overdue="false"))["items"]] == ["Свежий"]
    assert (await read_card(platform, overdue["id"]))["out_of_archive"]["overdue"] is True
    returned = await platform.client.post(
        f"{CARDS}/{overdue['id']}/return", headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert returned.json()["overdue"] is False
    assert (await cards_out(platform, overdue="true"))["total"] == 0


async def test_the_list_filters_by_recipient(platform: Platform, create_card: CreateCard) -> None:
    to_doctor = await create_card(last_name="Кврачу")
    to_department = await create_card(last_name="Вотделение")
    await give_out(platform, to_doctor["id"], recipient_name="Сергеев Сергей Сергеевич")
    await give_out(
        platform, to_department["id"], recipient_kind="department", recipient_id=None, recipient_name="Хирургическое"
    )

    def last_names(body: dict[str, Any]) -> list[str]:
        return [line["card"]["last_name"] for line in body["items"]]

    assert last_names(await cards_out(platform, recipient="СЕРГЕЙ")) == ["Кврачу"]
    assert last_names(await cards_out(platform, recipient="хирург")) == ["Вотделение"]
    assert last_names(await cards_out(platform, recipient_id=DOCTOR_ID)) == ["Кврачу"]
    assert last_names(await cards_out(platform, recipient_kind="department")) == ["Вотделение"]
    assert (await cards_out(platform, recipient="%"))["total"] == 0


async def test_the_list_filters_by_the_day_of_issue(platform: Platform, create_card: CreateCard) -> None:
    earlier = await create_card(last_name="Давний")
    now = await create_card(last_name="Сегодняшний")
    await backdate(platform, (await give_out(platform, earlier["id"], due_back=None))["id"], days=5)
    await give_out(platform, now["id"])
    day = today(platform)

    def last_names(body: dict[str, Any]) -> list[str]:
        return [line["card"]["last_name"] for line in body["items"]]

    assert last_names(await cards_out(platform, issued_from=day.isoformat())) == ["Сегодняшний"]
    assert last_names(await cards_out(platform, issued_to=(day - timedelta(days=1)).isoformat())) == ["Давний"]
    both = await cards_out(platform, issued_from=(day - timedelta(days=5)).isoformat(), issued_to=day.isoformat())
    assert both["total"] == 2


async def test_bad_list_filters_are_422_naming_them(platform: Platform) -> None:
    day = date(2026, 3, 10)
    cases = [
        ({"issued_from": day.isoformat(), "issued_to": (day - timedelta(days=1)).isoformat()}, "issued_to"),
        ({"issued_from": "10.03.2026"}, "issued_from"),
        ({"overdue": "maybe"}, "overdue"),
        ({"recipient_kind": "patient"}, "recipient_kind"),
        ({"recipient_id": "42"}, "recipient_id"),
        ({"recipient": "x" * 201}, "recipient"),
        ({"limit": 0}, "limit"),
    ]
    for params, field in cases:
        response = await platform.client.get(CARDS_OUT, params=params, headers=platform.admin_headers)
        assert response.status_code == 422, params
        assert problem_fields(response) == [field]


async def test_dates_at_the_ends_of_the_calendar_are_answered(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await give_out(platform, card["id"])
    body = await cards_out(platform, issued_from="0001-01-01", issued_to="9999-12-31")
    assert body["total"] == 1


async def test_cards_shown_in_the_list_are_audited(platform: Platform, create_card: CreateCard) -> None:
    card = await create_card()
    await give_out(platform, card["id"])
    await cards_out(platform)
    response = await platform.client.get(
        "/api/patients/audit", params={"card_id": card["id"]}, headers=platform.admin_headers
    )
    latest = response.json()["items"][0]
    assert (latest["action"], latest["detail"]) == ("search", "cards out")
