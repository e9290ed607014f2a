"""Printable slip and day list through the gateway (SCH-14)."""

from __future__ import annotations

from typing import Any

import pytest
from scheduling_test_builders import API

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_the_slip_is_html_with_number_time_doctor_and_escaped_note(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "10:00", 30, note="<script>x</script>")

    response = await build.client.get(f"{API}/appointments/{appointment['id']}/slip.html", headers=build.headers)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert f"Талон на приём № {appointment['number']}" in page
    assert "10:00–10:30" in page and "Смирнова Анна Сергеевна" in page
    assert "<script>x" not in page and "&lt;script&gt;" in page


async def test_the_slip_of_an_unknown_appointment_is_404(build: Any) -> None:
    response = await build.client.get(
        f"{API}/appointments/00000000-0000-0000-0000-00000000abcd/slip.html", headers=build.headers
    )
    assert response.status_code == 404


async def test_the_day_list_shows_the_days_appointments_and_break(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    await build.book(doctor["id"], day, "09:00", 30, patient=build.patient(last_name="Первый"))
    await build.book(doctor["id"], day, "15:00", 30, patient=build.patient(last_name="Второй"))
    await build.schedule(day=build.day(2), doctor_id=doctor["id"])
    await build.book(doctor["id"], build.day(2), "15:00", 30, patient=build.patient(last_name="Завтрашний"))

    response = await build.client.get(
        f"{API}/doctors/{doctor['id']}/day-list.html", params={"date": day.isoformat()}, headers=build.headers
    )

    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert page.index("Первый") < page.index("Перерыв") < page.index("Второй")
    assert "Завтрашний" not in page and "09:00–18:00" in page


async def test_the_day_list_needs_a_date(build: Any) -> None:
    doctor = await build.doctor()
    response = await build.client.get(f"{API}/doctors/{doctor['id']}/day-list.html", headers=build.headers)
    assert response.status_code == 422


PRINT_RIGHT = "scheduling.export"  # the catalogue's printing right: "… print slips and day lists"


async def printing_urls(build: Any) -> list[tuple[str, dict[str, str]]]:
    """The slip of a fresh appointment and its doctor's day list."""
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "11:00", 30)
    return [
        (f"{API}/appointments/{appointment['id']}/slip.html", {}),
        (f"{API}/doctors/{doctor['id']}/day-list.html", {"date": day.isoformat()}),
    ]


@pytest.mark.parametrize("rights", [[], ["scheduling.read"], ["scheduling.read", "scheduling.write"]])
async def test_printing_without_the_printing_right_is_403_naming_it(
    build: Any, module_platform: Any, rights: list[str]
) -> None:
    headers = await module_platform.headers_with(rights)
    for url, params in await printing_urls(build):
        response = await build.client.get(url, params=params, headers=headers)
        assert response.status_code == 403, url
        assert response.json()["missing_right"] == PRINT_RIGHT
        assert PRINT_RIGHT in response.json()["detail"]


async def test_printing_with_the_printing_right_is_200(build: Any, module_platform: Any) -> None:
    headers = await module_platform.headers_with([PRINT_RIGHT])
    for url, params in await printing_urls(build):
        response = await build.client.get(url, params=params, headers=headers)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/html")


async def test_the_receptionist_role_may_print(build: Any) -> None:
    roles = await build.client.get("/api/auth/roles", headers=build.headers)
    assert roles.status_code == 200, roles.text
    [receptionist] = [r for r in roles.json()["items"] if r["name"] == "receptionist"]
    assert PRINT_RIGHT in receptionist["rights"]
