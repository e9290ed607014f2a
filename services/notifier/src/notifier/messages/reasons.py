"""Why a message was not sent, in Russian for the staff reading the message log (NOT-5, NOT-7).

A message's `error` stays what the notifier wrote: a stable code ("appointment deleted",
"schedule disabled", …) or the provider's own words ("SMSC: HTTP 503"). Logs, metrics and
scripts match on it, so it is never translated. The API shows `error_text` next to it: the
same reason as a clinic reads it. A provider's free text that has no translation keeps its own
words after a Russian lead-in, so nothing the provider said is lost.
"""

from __future__ import annotations

import re

from clinic_shared.error_texts import Rule
from clinic_shared.error_texts import error_text as shared_error_text

# Cancelled or dropped before sending (planning and judging): codes with fixed texts.
REASONS: dict[str, str] = {
    "schedule changed": "График рассылки изменён",
    "schedule deleted": "График рассылки удалён",
    "schedule disabled": "График рассылки выключен",
    "appointment deleted": "Запись на приём удалена",
    "appointment changed": "Запись на приём изменена",
    "appointment moved": "Запись на приём перенесена",
    "appointment unknown to the notifier": "Запись на приём неизвестна службе рассылки",
    "the appointment has already started": "Приём уже начался",
    "patient card deleted": "Карта пациента удалена",
    "the patient's birth date is unknown": "Дата рождения пациента не указана",
    "the birth date changed": "Дата рождения пациента изменена",
    "the attach code has expired": "Срок действия кода привязки к ONDOC истёк",
    "the patient has no mobile phone": "У пациента не указан мобильный телефон",
    "the patient has no e-mail address": "У пациента не указан e-mail",
    "the rendered text is empty": "Текст сообщения пуст",
    "not sent": "Сообщение не отправлено",
    "interrupted while sending; delivery unknown, so it is not sent again by itself": (
        "Отправка прервана; неизвестно, доставлено ли сообщение, поэтому само оно повторно не отправляется"
    ),
}

# The provider's part after "<provider>: " (SMSC, QuickTelecom, Imobis, SMTP, fake, …).
PROVIDER_REASONS: dict[str, str] = {
    "timeout": "нет соединения (истекло время ожидания)",
    "the answer is not JSON": "непонятный ответ (не JSON)",
    "the answer is not readable XML": "непонятный ответ (не XML)",
    "unexpected answer": "неожиданный ответ",
    "the answer has no message id": "в ответе нет номера сообщения",
    "the answer has no result": "в ответе нет результата",
    "the token was refused": "токен не принят",
    "error in parameters": "ошибка в параметрах",
    "wrong login or password": "неверный логин или пароль",
    "not enough money on the account": "недостаточно средств на счёте",
    "IP address temporarily blocked": "IP-адрес временно заблокирован",
    "wrong date format": "неверный формат даты",
    "message denied (text or sender name)": "сообщение запрещено (текст или имя отправителя)",
    "wrong phone number format": "неверный формат номера телефона",
    "the message cannot be delivered to this number": "сообщение не может быть доставлено на этот номер",
    "too many identical requests, try later": "слишком много одинаковых запросов, повторите позже",
    "the recipient address was refused": "адрес получателя отклонён",
    "the server does not accept an access token (no AUTH XOAUTH2)": "сервер не принимает токен доступа (нет AUTH XOAUTH2)",
    "the access token needs the login (the mailbox) to sign in with": "для токена доступа нужен логин (почтовый ящик)",
    "a client certificate needs security ssl or starttls": "для сертификата клиента нужна защита ssl или starttls",
    "no channel can carry this message (Telegram carries codes only, and SMS fallback is off)": (
        "ни один канал не может доставить это сообщение (Telegram — только коды, а резервная отправка SMS выключена)"
    ),
}

# "the phone number <what is wrong>" (clinic_shared.phones.InvalidPhone).
PHONE_REASONS: dict[str, str] = {
    "is empty": "Номер телефона не указан",
    "is not a phone number": "Это не номер телефона",
    "is not a valid phone number": "Номер телефона недействителен",
    "is not a mobile number": "Номер телефона не мобильный: SMS на него не отправить",
    "must not contain an extension": "Номер телефона для SMS не должен содержать добавочный номер",
}

_MAY_HAVE_GONE = "; the message may have been accepted"
_RU_MAY_HAVE_GONE = "; сообщение, возможно, принято"


def _provider(label: str, rest: str) -> str:
    return f"{label}: {_provider_part(rest)}"


def _provider_part(rest: str) -> str:
    if rest in PROVIDER_REASONS:
        return PROVIDER_REASONS[rest]
    known, _, detail = rest.partition(" (")
    if known in PROVIDER_REASONS and detail.endswith(")"):  # SMSC adds its own words in brackets
        return f"{PROVIDER_REASONS[known]} ({detail}"
    for pattern, render in _PROVIDER_RULES:
        match = pattern.fullmatch(rest)
        if match:
            return render(match)
    return f"ошибка: {rest}"


_PROVIDER_RULES: list[Rule] = [
    (re.compile(r"HTTP (\d+)" + re.escape(_MAY_HAVE_GONE)), lambda m: f"ошибка HTTP {m[1]}{_RU_MAY_HAVE_GONE}"),
    (re.compile(r"HTTP (\d+)"), lambda m: f"ошибка HTTP {m[1]}"),
    (re.compile(r"no answer in time" + re.escape(_MAY_HAVE_GONE)), lambda m: f"нет ответа вовремя{_RU_MAY_HAVE_GONE}"),
    (re.compile(r"no answer in (\d+) s"), lambda m: f"нет ответа за {m[1]} с"),
    (re.compile(r"connection failed \((\w+)\)"), lambda m: f"не удалось соединиться ({m[1]})"),
    (
        re.compile(r"the connection broke before the answer \((\w+)\)"),
        lambda m: f"соединение оборвалось до ответа ({m[1]}); сообщение, возможно, принято",
    ),
    (re.compile(r"unexpected (\w+)"), lambda m: f"непредвиденная ошибка ({m[1]})"),
    (re.compile(r"error (-?\d*): (.+)", re.S), lambda m: f"ошибка {m[1]}: {m[2]}".replace("ошибка : ", "ошибка: ")),
    (re.compile(r"error (-?\d+)"), lambda m: f"ошибка {m[1]}"),
    (re.compile(r"authentication failed \((\d+)\)"), lambda m: f"ошибка входа ({m[1]})"),
    (re.compile(r"the recipient was deferred \((\d+)\)"), lambda m: f"получатель временно недоступен ({m[1]})"),
    (
        re.compile(r"the client certificate cannot be used: (.+)", re.S),
        lambda m: f"сертификат клиента не подходит: {m[1]}",
    ),
    (re.compile(r"the provider's address was (.+)", re.S), lambda m: f"адрес провайдера отклонён: {m[1]}"),
    (re.compile(r"(\w+)"), lambda m: f"ошибка соединения ({m[1]})"),  # SMTP: <exception name>
]

_RULES: list[Rule] = [
    (
        re.compile(r"due more than (\d+) minutes ago \(the notifier was not running\)"),
        lambda m: f"Срок отправки прошёл более {m[1]} мин назад (служба рассылки не работала)",
    ),
    (
        re.compile(r"gave up after (\d+) attempts: (.+)", re.S),
        lambda m: f"Отправка прекращена после попыток: {m[1]}. {error_text(m[2])}",
    ),
    (
        re.compile(r"(SMSC|QuickTelecom|Imobis) login or password is not set in the notifier settings"),
        lambda m: f"{m[1]}: в настройках рассылки не указаны логин или пароль",
    ),
    (
        re.compile(r"Imobis token is not set in the notifier settings"),
        lambda m: "Imobis: в настройках рассылки не указан токен",
    ),
    (
        re.compile(r"SMTP server or from address is not set in the notifier settings"),
        lambda m: "В настройках рассылки не указаны SMTP-сервер или адрес отправителя",
    ),
    (
        re.compile(r"the phone number (.+)", re.S),
        lambda m: PHONE_REASONS.get(m[1], f"Номер телефона не подходит для SMS: {m[1]}"),
    ),
    (re.compile(r"([A-Za-z][\w.-]*): (.+)", re.S), lambda m: _provider(m[1], m[2])),
]


def error_text(error: str | None) -> str | None:
    """The Russian text of a message's `error` (None when there is none)."""
    return shared_error_text(error, reasons=REASONS, rules=_RULES, fallback="Не отправлено: {error}")
