"""Why a change did not reach ONDOC, as staff read it (#14): the queue and the directory uploads
keep `last_error` as the bridge wrote it (logs and scripts match on it) and show
`last_error_text` next to it in Russian, with ONDOC's own words kept."""

from __future__ import annotations

import pytest
from ondoc_testkit import (
    FAKE,
    ONDOC,
    Publish,
    appointment_event,
    appointment_state,
    attach_patient,
    needs_scheduling,
    wait_until,
)

from clinic_shared.testing.platform import Platform
from ondoc_bridge.ondoc.reasons import error_text


@pytest.mark.parametrize(
    ("error", "text"),
    [
        ("the patient is no longer attached", "Пациент больше не привязан к ONDOC: изменения ему не отправляются"),
        ("Запись перенесена на другого пациента", "Запись перенесена на другого пациента"),
        (
            "ONDOC settings lack: server_url, branch_token",
            "В настройках ONDOC не заполнено: адрес сервера, токен филиала",
        ),
        ("ONDOC answered 401: invalid access token", "ONDOC ответил ошибкой 401: invalid access token"),
        ("ONDOC did not answer within 10 s", "ONDOC не ответил за 10 с"),
        ("ONDOC did not answer in time (ReadTimeout)", "ONDOC не ответил вовремя (ReadTimeout)"),
        ("ONDOC is unreachable (ConnectError)", "ONDOC недоступен: нет соединения (ConnectError)"),
        (
            "the ONDOC server address was refused by the outbound address policy: 127.0.0.1, a loopback address",
            "Адрес сервера ONDOC запрещён правилами исходящих соединений платформы: 127.0.0.1, a loopback address",
        ),
        (
            "the queued state cannot be sent: start is not a date",
            "Изменение из очереди не отправить в ONDOC: данные не прошли проверку (start is not a date)",
        ),
        ("RuntimeError: boom", "Непредвиденная ошибка при отправке (RuntimeError): boom"),
        ("something else", "Не отправлено в ONDOC: something else"),
    ],
)
def test_every_error_the_bridge_writes_has_a_russian_text(error: str, text: str) -> None:
    assert error_text(error) == text


@pytest.mark.parametrize("error", [None, ""])
def test_no_error_has_no_text(error: str | None) -> None:
    assert error_text(error) is None


async def test_a_refused_item_shows_ondocs_reason_in_russian_next_to_the_kept_error(
    platform: Platform, publish: Publish
) -> None:
    card, _ = await attach_patient(platform)
    await platform.client.post(
        f"{FAKE}/config", json={"branch_token": "rotated-by-ondoc"}, headers=platform.admin_headers
    )
    state = appointment_state(card["id"])
    await publish(appointment_event("appointment.created", state, 1))

    async def failed() -> bool:
        response = await platform.client.get(
            f"{ONDOC}/outbound", params={"status": "failed"}, headers=platform.admin_headers
        )
        return response.json()["total"] == 1

    await wait_until(failed, what="the item marked failed")
    [item] = (
        await platform.client.get(f"{ONDOC}/outbound", params={"status": "failed"}, headers=platform.admin_headers)
    ).json()["items"]
    assert item["last_error"] == "ONDOC answered 401: invalid access token for this API"
    assert item["last_error_text"] == "ONDOC ответил ошибкой 401: invalid access token for this API"


@pytest.mark.parametrize("platform_services", [["scheduling", "ondoc"]])
@needs_scheduling
async def test_a_failed_directory_upload_shows_the_reason_in_russian(platform: Platform) -> None:
    await platform.client.post(f"{FAKE}/fail", json={"mode": "error", "count": 10}, headers=platform.admin_headers)
    await platform.client.post(f"{ONDOC}/sync", headers=platform.admin_headers)

    items = (await platform.client.get(f"{ONDOC}/sync", headers=platform.admin_headers)).json()["items"]

    assert items and all(item["last_error"].startswith("ONDOC answered 500: ") for item in items), items
    assert all(item["last_error_text"] == "ONDOC ответил ошибкой 500: ONDOC is having a bad day" for item in items)
