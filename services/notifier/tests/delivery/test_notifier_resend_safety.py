"""A provider that took a message but whose answer was lost must not get it twice.

SMSC: every message carries our id; a resend first asks status.php for that id. QuickTelecom and
Imobis cannot be asked, so a lost answer is final for them (`resend_after_unknown = False`).
The in-process fake behaves like SMSC. SMTP carries our id in the Message-ID.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import httpx
import pytest
import respx

from notifier.config.schemas import SmtpConfig
from notifier.delivery.base import OutcomeUnknown, TransientError
from notifier.delivery.email import SmtpSender
from notifier.delivery.fakes import FakeSmsProvider, SmtpSink
from notifier.delivery.imobis import ImobisProvider
from notifier.delivery.quicktelecom import QuickTelecomProvider
from notifier.delivery.smsc import SmscProvider

SEND = "https://smsc.test/sys/send.php"
STATUS = "https://smsc.test/sys/status.php"
KEY = "3f1c0d6e9b8a4f2e8c7d6b5a4f3e2d1c"
PHONE = "79229999999"


@pytest.fixture
async def client() -> httpx.AsyncClient:
    async with httpx.AsyncClient(timeout=2) as http:
        yield http


def smsc(client: httpx.AsyncClient) -> SmscProvider:
    return SmscProvider(client, base_url="https://smsc.test/", login="clinic", password="secret")


def form_of(route: respx.Route) -> dict[str, list[str]]:
    return parse_qs(route.calls.last.request.content.decode())


@respx.mock
async def test_smsc_gets_our_message_id_with_the_message(client: httpx.AsyncClient) -> None:
    route = respx.post(SEND).respond(json={"id": KEY, "cnt": 1})
    result = await smsc(client).send(PHONE, "text", key=KEY)
    assert form_of(route)["id"] == [KEY]
    assert result.id == KEY


@respx.mock
async def test_smsc_first_attempt_does_not_ask_for_a_status(client: httpx.AsyncClient) -> None:
    status = respx.post(STATUS).respond(json={"status": 1})
    respx.post(SEND).respond(json={"id": KEY, "cnt": 1})
    await smsc(client).send(PHONE, "text", key=KEY, resend=False)
    assert not status.called


@respx.mock
async def test_smsc_resend_of_a_message_smsc_already_has_sends_nothing(client: httpx.AsyncClient) -> None:
    status = respx.post(STATUS).respond(json={"status": 1, "last_timestamp": 1700000000})
    send = respx.post(SEND).respond(json={"id": KEY, "cnt": 1})
    result = await smsc(client).send(PHONE, "text", key=KEY, resend=True)
    assert not send.called
    assert result.id == KEY
    assert (form_of(status)["id"], form_of(status)["phone"]) == ([KEY], [PHONE])


@pytest.mark.parametrize(
    "not_found",
    [{"status": -3, "err": 0}, {"error": "message not found", "error_code": 3}],
    ids=["status -3", "error 3"],
)
@respx.mock
async def test_smsc_resend_of_a_message_smsc_does_not_have_sends_it(
    client: httpx.AsyncClient, not_found: dict[str, object]
) -> None:
    respx.post(STATUS).respond(json=not_found)
    send = respx.post(SEND).respond(json={"id": KEY, "cnt": 1})
    await smsc(client).send(PHONE, "text", key=KEY, resend=True)
    assert send.call_count == 1


@respx.mock
async def test_smsc_resend_whose_status_query_gets_no_answer_sends_nothing(client: httpx.AsyncClient) -> None:
    respx.post(STATUS).mock(side_effect=httpx.ReadTimeout("slow"))
    send = respx.post(SEND).respond(json={"id": KEY, "cnt": 1})
    with pytest.raises(TransientError):
        await smsc(client).send(PHONE, "text", key=KEY, resend=True)
    assert not send.called


@respx.mock
async def test_smsc_refusing_a_repeat_of_a_message_it_has_counts_as_sent(client: httpx.AsyncClient) -> None:
    respx.post(SEND).respond(json={"error": "duplicate request, wait a minute", "error_code": 9})
    respx.post(STATUS).respond(json={"status": 0})
    result = await smsc(client).send(PHONE, "text", key=KEY)
    assert result.id == KEY


@respx.mock
async def test_smsc_refusing_a_repeat_of_a_message_it_does_not_have_is_transient(client: httpx.AsyncClient) -> None:
    respx.post(SEND).respond(json={"error": "duplicate request, wait a minute", "error_code": 9})
    respx.post(STATUS).respond(json={"status": -3})
    with pytest.raises(TransientError, match="identical requests"):
        await smsc(client).send(PHONE, "text", key=KEY)


@respx.mock
async def test_smsc_gateway_timeout_means_the_message_may_have_been_accepted(client: httpx.AsyncClient) -> None:
    respx.post(SEND).respond(504)
    with pytest.raises(OutcomeUnknown):
        await smsc(client).send(PHONE, "text", key=KEY)


def test_only_providers_that_can_be_asked_are_resent_after_a_lost_answer(client: httpx.AsyncClient) -> None:
    qt = QuickTelecomProvider(client, base_url="https://qt.test/", login="u", password="p")
    imobis = ImobisProvider(client, base_url="https://imobis.test/v3", token="t")
    assert (smsc(client).resend_after_unknown, qt.resend_after_unknown, imobis.resend_after_unknown) == (
        True,
        False,
        False,
    )


@respx.mock
async def test_quicktelecom_no_answer_in_time_means_the_message_may_have_been_accepted(
    client: httpx.AsyncClient,
) -> None:
    respx.post("https://qt.test/").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(OutcomeUnknown):
        await QuickTelecomProvider(client, base_url="https://qt.test/", login="u", password="p").send(PHONE, "x")


@respx.mock
async def test_quicktelecom_connect_timeout_is_certainly_not_sent(client: httpx.AsyncClient) -> None:
    respx.post("https://qt.test/").mock(side_effect=httpx.ConnectTimeout("slow"))
    with pytest.raises(TransientError) as raised:
        await QuickTelecomProvider(client, base_url="https://qt.test/", login="u", password="p").send(PHONE, "x")
    assert not isinstance(raised.value, OutcomeUnknown)


async def test_the_fake_provider_sends_a_message_once_however_often_it_is_resent() -> None:
    fake = FakeSmsProvider()
    fake.lose_next_answers(1)
    with pytest.raises(OutcomeUnknown):
        await fake.send(PHONE, "text", key=KEY)
    first = await fake.send(PHONE, "text", key=KEY, resend=True)
    again = await fake.send(PHONE, "text", key=KEY, resend=True)
    assert len(fake.sent) == 1
    assert first.id == again.id == fake.sent[0].id


async def test_an_email_carries_our_message_id_so_a_resend_is_recognisable() -> None:
    sink = SmtpSink()
    await sink.start()
    try:
        config = SmtpConfig(host=sink.host, port=sink.port, from_address="clinic@example.org", security="none")
        sender = SmtpSender(config, timeout=5, allow_private=True)  # a local SMTP server
        first = await sender.send("anna@example.org", "Запись", "Ждём вас", key=KEY)
        second = await sender.send("anna@example.org", "Запись", "Ждём вас", key=KEY)
    finally:
        await sink.stop()
    assert first.id == second.id == f"{KEY}@example.org"
    assert [mail.id for mail in sink.received] == [f"{KEY}@example.org"] * 2
