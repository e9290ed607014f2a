"""Why an order (or its cancellation) did not reach the lab, as staff read it (#14): the delivery
keeps `last_error` as the exchange wrote it (logs and scripts match on it) and shows
`last_error_text` next to it in Russian."""

from __future__ import annotations

import pytest
from lab_builders import API, Publish, eventually, fake_lab, get_order, make_lab, make_order, make_patient, make_test

from clinic_shared.testing.platform import Platform
from lab.exchange.reasons import error_text


@pytest.mark.parametrize(
    ("error", "text"),
    [
        ("the lab answered HTTP 500", "Лаборатория ответила ошибкой HTTP 500"),
        ("the lab answered HTTP 503 to the cancellation", "Лаборатория ответила на отмену ошибкой HTTP 503"),
        ("the lab's answer has no external_id", "В ответе лаборатории нет номера заказа (external_id)"),
        ("the lab's results could not be read", "Результаты лаборатории не удалось прочитать"),
        (
            "the laboratory has no exchange_url and the fake lab is off",
            "У лаборатории не указан адрес обмена (exchange_url), а тестовая лаборатория выключена",
        ),
        (
            "the lab's exchange address was refused by the outbound address policy: 127.0.0.1, a loopback address",
            "Адрес обмена лаборатории запрещён правилами исходящих соединений платформы: 127.0.0.1, a loopback address",
        ),
        (
            "ConnectError: All connection attempts failed",
            "Нет связи с лабораторией (ConnectError): All connection attempts failed",
        ),
        ("ReadTimeout: ", "Нет связи с лабораторией (ReadTimeout)"),
        ("something else", "Ошибка обмена с лабораторией: something else"),
    ],
)
def test_every_error_the_exchange_writes_has_a_russian_text(error: str, text: str) -> None:
    assert error_text(error) == text


def test_results_the_clinic_refused_show_the_clinics_reason_in_russian() -> None:
    text = error_text(
        "the lab's results were refused: The order is completed; its results change only by a correction."
    )
    assert text is not None and text.startswith("Результаты лаборатории не приняты: ")
    assert "The order" not in text


@pytest.mark.parametrize("error", [None, ""])
def test_no_error_has_no_text(error: str | None) -> None:
    assert error_text(error) is None


@pytest.fixture
def two_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINIC_LAB_EXCHANGE_MAX_ATTEMPTS", "2")


async def _order(platform: Platform, publish_event: Publish) -> dict:
    patient = await make_patient(platform, publish_event)
    lab = await make_lab(platform)
    test = await make_test(platform, lab["id"])
    return await make_order(platform, patient["id"], lab["id"], [test["id"]])


@pytest.mark.usefixtures("exchange_worker_on")
async def test_a_send_the_lab_refused_shows_the_reason_in_russian_next_to_the_kept_error(
    two_attempts: None, platform: Platform, publish_event: Publish
) -> None:
    fake_lab(platform).fail_next_sends = 1000
    order = await _order(platform, publish_event)
    response = await platform.client.post(f"{API}/orders/{order['id']}/send", headers=platform.admin_headers)
    assert response.status_code == 202, response.text

    async def failed() -> dict | None:
        current = await get_order(platform, order["id"])
        return current if current["exchange"]["state"] == "failed" else None

    exchange = (await eventually(failed))["exchange"]
    assert exchange["last_error"] == "the lab answered HTTP 500"
    assert exchange["last_error_text"] == "Лаборатория ответила ошибкой HTTP 500"


@pytest.mark.usefixtures("exchange_worker_on")
async def test_a_cancellation_the_lab_did_not_take_shows_the_reason_in_russian(
    platform: Platform, publish_event: Publish
) -> None:
    lab = fake_lab(platform)
    lab.result_delay_seconds = 3600
    order = await _order(platform, publish_event)
    await platform.client.post(f"{API}/orders/{order['id']}/send", headers=platform.admin_headers)

    async def sent() -> dict | None:
        current = await get_order(platform, order["id"])
        return current if current["exchange"]["state"] == "sent" else None

    await eventually(sent)
    lab.fail_next_cancels = 1000
    await platform.client.post(
        f"{API}/orders/{order['id']}/cancel", json={"reason": "передумал"}, headers=platform.admin_headers
    )

    async def retried() -> dict | None:
        cancel = (await get_order(platform, order["id"]))["exchange"]["cancel"]
        return cancel if cancel and cancel["attempts"] >= 1 else None

    cancel = await eventually(retried)
    assert cancel["last_error"] == "the lab answered HTTP 503 to the cancellation"
    assert cancel["last_error_text"] == "Лаборатория ответила на отмену ошибкой HTTP 503"
