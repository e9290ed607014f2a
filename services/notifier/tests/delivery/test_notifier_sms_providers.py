"""SMS provider adapters against fakes that speak each provider's protocol (respx)."""

from __future__ import annotations

from urllib.parse import parse_qs

import httpx
import pytest
import respx

from notifier.delivery.base import OutcomeUnknown, PermanentError, TransientError
from notifier.delivery.imobis import ImobisProvider
from notifier.delivery.quicktelecom import QuickTelecomProvider
from notifier.delivery.smsc import SmscProvider

SMSC = "https://smsc.test/sys/send.php"
QT = "https://qt.test/public/http/"
IMOBIS = "https://imobis.test/v3/message/sendSMS"


@pytest.fixture
async def client() -> httpx.AsyncClient:
    async with httpx.AsyncClient(timeout=2) as http:
        yield http


def smsc(client: httpx.AsyncClient, **kwargs: str) -> SmscProvider:
    return SmscProvider(client, base_url="https://smsc.test/", login="clinic", password="secret", **kwargs)


# --- SMSC ----------------------------------------------------------------------------------
@respx.mock
async def test_smsc_sends_the_form_and_returns_the_message_id(client: httpx.AsyncClient) -> None:
    route = respx.post(SMSC).respond(json={"id": 8811, "cnt": 2})
    result = await smsc(client, sender="Clinic").send("79229999999", "Привет")
    form = parse_qs(route.calls.last.request.content.decode())
    assert (result.id, result.parts) == ("8811", 2)
    assert form["login"] == ["clinic"] and form["psw"] == ["secret"] and form["phones"] == ["79229999999"]
    assert form["mes"] == ["Привет"] and form["charset"] == ["utf-8"] and form["fmt"] == ["3"]
    assert form["sender"] == ["Clinic"]


@pytest.mark.parametrize(
    ("code", "error", "kind"),
    [
        (1, "parameters error", PermanentError),
        (2, "authorise error", PermanentError),
        (3, "no money", PermanentError),
        (4, "IP blocked", TransientError),
        (6, "message is denied", PermanentError),
        (7, "invalid number", PermanentError),
        (8, "cannot be delivered", PermanentError),
        (9, "duplicate request, wait a minute", TransientError),
    ],
)
@respx.mock
async def test_smsc_error_codes_are_classified(client: httpx.AsyncClient, code: int, error: str, kind: type) -> None:
    respx.post(SMSC).respond(json={"error": error, "error_code": code})
    with pytest.raises(kind):
        await smsc(client).send("79229999999", "text")


@respx.mock
async def test_smsc_no_money_names_the_reason(client: httpx.AsyncClient) -> None:
    respx.post(SMSC).respond(json={"error": "no money", "error_code": 3})
    with pytest.raises(PermanentError, match="not enough money"):
        await smsc(client).send("79229999999", "text")


@respx.mock
async def test_smsc_server_error_is_transient(client: httpx.AsyncClient) -> None:
    respx.post(SMSC).respond(503, text="maintenance")
    with pytest.raises(TransientError, match="HTTP 503"):
        await smsc(client).send("79229999999", "text")


@respx.mock
async def test_smsc_no_answer_in_time_means_the_message_may_have_been_accepted(client: httpx.AsyncClient) -> None:
    respx.post(SMSC).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(OutcomeUnknown, match="may have been accepted"):
        await smsc(client).send("79229999999", "text")


@respx.mock
async def test_smsc_connection_refused_is_transient_and_certainly_not_sent(client: httpx.AsyncClient) -> None:
    respx.post(SMSC).mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(TransientError) as raised:
        await smsc(client).send("79229999999", "text")
    assert not isinstance(raised.value, OutcomeUnknown)


async def test_smsc_without_credentials_fails_permanently(client: httpx.AsyncClient) -> None:
    with pytest.raises(PermanentError, match="login or password"):
        await SmscProvider(client, base_url="https://smsc.test", login="", password="").send("79229999999", "x")


# --- QuickTelecom --------------------------------------------------------------------------
def qt(client: httpx.AsyncClient) -> QuickTelecomProvider:
    return QuickTelecomProvider(
        client, base_url="https://qt.test/public/http", login="u", password="p", sender="Clinic"
    )


@respx.mock
async def test_quicktelecom_posts_the_form_and_reads_the_sms_id(client: httpx.AsyncClient) -> None:
    route = respx.post(QT).respond(
        text='<?xml version="1.0" encoding="UTF-8"?><output><result sms_id="5551" sms_res_count="1"></result></output>'
    )
    result = await qt(client).send("79229999999", "Привет")
    form = parse_qs(route.calls.last.request.content.decode())
    assert result.id == "5551"
    assert form["user"] == ["u"] and form["pass"] == ["p"] and form["action"] == ["post_sms"]
    assert form["message"] == ["Привет"] and form["target"] == ["+79229999999"] and form["sender"] == ["Clinic"]


@respx.mock
async def test_quicktelecom_reads_the_id_of_the_nested_sms_element(client: httpx.AsyncClient) -> None:
    respx.post(QT).respond(
        text='<output><result sms_group_id="77"><sms id="78" sms_res_count="2">79229999999</sms></result></output>'
    )
    result = await qt(client).send("79229999999", "x")
    assert (result.id, result.parts) == ("78", 2)


@respx.mock
async def test_quicktelecom_error_answer_is_permanent(client: httpx.AsyncClient) -> None:
    respx.post(QT).respond(text='<output><errors><error code="2">Неверный логин или пароль</error></errors></output>')
    with pytest.raises(PermanentError, match="Неверный логин"):
        await qt(client).send("79229999999", "x")


@respx.mock
async def test_quicktelecom_try_later_error_is_transient(client: httpx.AsyncClient) -> None:
    respx.post(QT).respond(
        text='<output><errors><error code="50">Сервис перегружен, попробуйте позже</error></errors></output>'
    )
    with pytest.raises(TransientError):
        await qt(client).send("79229999999", "x")


@respx.mock
async def test_quicktelecom_entity_bomb_is_refused_not_expanded(client: httpx.AsyncClient) -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><output>&b;</output>'
    respx.post(QT).respond(text=bomb)
    with pytest.raises(TransientError, match="not readable XML"):
        await qt(client).send("79229999999", "x")


@respx.mock
async def test_quicktelecom_timeout_is_transient(client: httpx.AsyncClient) -> None:
    respx.post(QT).mock(side_effect=httpx.ConnectTimeout("slow"))
    with pytest.raises(TransientError):
        await qt(client).send("79229999999", "x")


# --- Imobis --------------------------------------------------------------------------------
def imobis(client: httpx.AsyncClient) -> ImobisProvider:
    return ImobisProvider(client, base_url="https://imobis.test/v3", token="tok", sender="Clinic")


@respx.mock
async def test_imobis_posts_json_with_the_token_header(client: httpx.AsyncClient) -> None:
    route = respx.post(IMOBIS).respond(json={"result": "success", "id": "im-1"})
    result = await imobis(client).send("79229999999", "Привет 🎉")
    request = route.calls.last.request
    assert result.id == "im-1"
    assert request.headers["Authorization"] == "Token tok"
    assert httpx.Response(200, content=request.content).json() == {
        "sender": "Clinic",
        "phone": "79229999999",
        "text": "Привет 🎉",
    }


@respx.mock
async def test_imobis_error_answer_is_permanent_with_its_description(client: httpx.AsyncClient) -> None:
    respx.post(IMOBIS).respond(json={"result": "error", "desc": "Invalid phone", "code": 12})
    with pytest.raises(PermanentError, match="Invalid phone"):
        await imobis(client).send("79229999999", "x")


@respx.mock
async def test_imobis_refused_token_is_permanent(client: httpx.AsyncClient) -> None:
    respx.post(IMOBIS).respond(401, json={"result": "error", "desc": "Unauthorized"})
    with pytest.raises(PermanentError, match="token"):
        await imobis(client).send("79229999999", "x")


@respx.mock
async def test_imobis_rate_limit_and_server_errors_are_transient(client: httpx.AsyncClient) -> None:
    respx.post(IMOBIS).mock(side_effect=[httpx.Response(429), httpx.Response(502)])
    for _ in range(2):
        with pytest.raises(TransientError):
            await imobis(client).send("79229999999", "x")


@respx.mock
async def test_imobis_no_answer_in_time_means_the_message_may_have_been_accepted(client: httpx.AsyncClient) -> None:
    respx.post(IMOBIS).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(OutcomeUnknown):
        await imobis(client).send("79229999999", "x")
