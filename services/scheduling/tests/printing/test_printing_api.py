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


async def test_printing_needs_the_read_right(build: Any, module_platform: Any) -> None:
    doctor = await build.doctor()
    nobody = await module_platform.headers_with([])
    response = await build.client.get(
        f"{API}/doctors/{doctor['id']}/day-list.html", params={"date": "2030-01-01"}, headers=nobody
    )
    assert response.status_code == 403
