"""The standalone fakes `make up` runs (fake SMSC, SMTP sink), driven by the notifier's real
SMSC adapter and SMTP sender, as the notifier uses them in distributed mode."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from notifier.config.schemas import SmtpConfig
from notifier.delivery.base import OutcomeUnknown, PermanentError, TransientError
from notifier.delivery.email import SmtpSender
from notifier.delivery.fakes import SmtpSink
from notifier.delivery.smsc import SmscProvider
from notifier.fake_sms import FakeSmsc, create_fake_sms_app
from notifier.fake_smtp import create_sink_view

BASE = "http://fake-smsc.test"
RIGHT_PASSWORD = "right-password"


@pytest.fixture
async def fake_smsc() -> AsyncIterator[httpx.AsyncClient]:
    app = create_fake_sms_app(FakeSmsc(login="clinic", password=RIGHT_PASSWORD))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
        yield client


def smsc(client: httpx.AsyncClient, password: str | None = None) -> SmscProvider:
    return SmscProvider(client, base_url=BASE, login="clinic", password=password or RIGHT_PASSWORD, sender="Clinic")


async def test_an_sms_sent_through_the_smsc_adapter_is_listed_by_the_fake(fake_smsc: httpx.AsyncClient) -> None:
    result = await smsc(fake_smsc).send("79221112233", "Ждём вас завтра")
    listed = (await fake_smsc.get("/_control/messages")).json()["items"]
    assert [(m["id"], m["phone"], m["text"], m["sender"]) for m in listed] == [
        (int(result.id), "79221112233", "Ждём вас завтра", "Clinic")
    ]
    assert result.parts == 1 and result.cost is not None


async def test_a_long_cyrillic_sms_is_counted_in_segments(fake_smsc: httpx.AsyncClient) -> None:
    result = await smsc(fake_smsc).send("79221112233", "Ж" * 71)
    assert result.parts == 2


async def test_a_wrong_password_is_refused_as_smsc_does(fake_smsc: httpx.AsyncClient) -> None:
    with pytest.raises(PermanentError, match="wrong login or password"):
        await smsc(fake_smsc, password="wrong-password").send("79221112233", "text")
    assert (await fake_smsc.get("/_control/messages")).json()["items"] == []


async def test_a_requested_transient_error_is_answered_once_then_sends_succeed(fake_smsc: httpx.AsyncClient) -> None:
    response = await fake_smsc.post("/_control/fail", json={"error_code": 9, "count": 1})
    assert response.status_code == 200
    with pytest.raises(TransientError):
        await smsc(fake_smsc).send("79221112233", "text")
    await smsc(fake_smsc).send("79221112233", "text")
    assert len((await fake_smsc.get("/_control/messages")).json()["items"]) == 1


async def test_a_fail_request_with_an_unknown_error_code_names_the_field(fake_smsc: httpx.AsyncClient) -> None:
    response = await fake_smsc.post("/_control/fail", json={"error_code": 42})
    assert response.status_code == 422
    assert "error_code" in response.text


async def test_several_phones_in_one_call_are_each_recorded(fake_smsc: httpx.AsyncClient) -> None:
    form = {"login": "clinic", "psw": RIGHT_PASSWORD, "phones": "79221112233;+7 922 444-55-66", "mes": "Hi"}
    answer = (await fake_smsc.post("/sys/send.php", data=form)).json()
    listed = (await fake_smsc.get("/_control/messages")).json()["items"]
    assert answer["cnt"] == 2
    assert [m["phone"] for m in listed] == ["79221112233", "79224445566"]


async def test_an_email_sent_over_smtp_is_shown_by_the_sink_view() -> None:
    sink = SmtpSink()
    await sink.start()
    try:
        config = SmtpConfig(host=sink.host, port=sink.port, from_address="notifier@clinic.local", security="none")
        await SmtpSender(config, sender_name="Клиника", timeout=5, allow_private=True).send(
            "anna@example.org", "Запись", "Ждём вас"
        )
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_sink_view(sink)), base_url="http://sink.test"
        ) as view:
            listed = (await view.get("/_control/emails")).json()["items"]
    finally:
        await sink.stop()
    assert [(m["to"], m["subject"], m["text"]) for m in listed] == [(["anna@example.org"], "Запись", "Ждём вас")]


async def test_the_sink_listens_on_the_port_it_is_given() -> None:
    probe = SmtpSink()
    await probe.start()
    port = probe.port
    await probe.stop()
    sink = SmtpSink(port=port)
    await sink.start()
    try:
        assert sink.port == port
    finally:
        await sink.stop()


async def test_the_fake_smsc_finds_a_message_by_our_id_as_smsc_does(fake_smsc: httpx.AsyncClient) -> None:
    await smsc(fake_smsc).send("79221112233", "Ждём вас", key="m-1")
    found = await smsc(fake_smsc).lookup("79221112233", "m-1")
    missing = await smsc(fake_smsc).lookup("79221112233", "m-2")
    assert (found is not None, missing) == (True, None)


async def test_the_fake_smsc_refuses_the_same_request_again_within_a_minute(fake_smsc: httpx.AsyncClient) -> None:
    form = {"login": "clinic", "psw": RIGHT_PASSWORD, "phones": "79221112233", "mes": "Ждём вас", "id": "m-1"}
    first = (await fake_smsc.post("/sys/send.php", data=form)).json()
    again = (await fake_smsc.post("/sys/send.php", data=form)).json()
    assert (first["id"], again["error_code"]) == ("m-1", 9)
    assert len((await fake_smsc.get("/_control/messages")).json()["items"]) == 1


async def test_a_resend_after_a_late_answer_leaves_one_sms_at_the_fake_smsc() -> None:
    fake = FakeSmsc(login="clinic", password=RIGHT_PASSWORD)
    transport = httpx.ASGITransport(app=create_fake_sms_app(fake))
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as control:
        assert (await control.post("/_control/slow", json={"seconds": 0.5})).status_code == 200

    async with httpx.AsyncClient(transport=_DeadlineTransport(transport, seconds=0.1), base_url=BASE) as impatient:
        with pytest.raises(OutcomeUnknown):
            await smsc(impatient).send("79221112233", "Ждём вас", key="m-1")
        result = await smsc(impatient).send("79221112233", "Ждём вас", key="m-1", resend=True)

    assert result.id == "m-1"
    assert [m.phone for m in fake.sent] == ["79221112233"]


class _DeadlineTransport(httpx.AsyncBaseTransport):
    """An in-process transport that gives up after `seconds`, as a socket read timeout would."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, seconds: float) -> None:
        self.inner = inner
        self.seconds = seconds

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            async with asyncio.timeout(self.seconds):
                return await self.inner.handle_async_request(request)
        except TimeoutError as exc:
            raise httpx.ReadTimeout("no answer", request=request) from exc
