"""Russian texts of the errors the notifier shows a client (clinic_shared.problems)."""

from __future__ import annotations

from clinic_shared.problems import register_messages

MESSAGES_RU = {
    # settings (NOT-1)
    "must be an http:// or https:// URL": "нужен адрес, начинающийся с http:// или https://",
    "must be a two-letter country code such as RU": "нужен двухбуквенный код страны, например RU",
    "must be an e-mail address": "нужен адрес e-mail",
    "{channel.channel} is listed twice": "канал {channel.channel} указан дважды",
    "is required for the vk channel (the community id)": "обязательно для канала vk (идентификатор сообщества)",
    "is only for the vk channel": "указывается только для канала vk",
    "is only for the viber channel": "указывается только для канала viber",
    # the e-mail token (delivery/smtp_token.py)
    "a client certificate needs a -----BEGIN CERTIFICATE----- block": (
        "в клиентском сертификате нужен блок -----BEGIN CERTIFICATE-----"
    ),
    "a client certificate needs its private key (-----BEGIN PRIVATE KEY-----) with it": (
        "вместе с клиентским сертификатом нужен его закрытый ключ (-----BEGIN PRIVATE KEY-----)"
    ),
    "the private key must not be protected by a password": "закрытый ключ не должен быть защищён паролем",
    "the certificate cannot be read": "сертификат не читается",
    "the private key cannot be read": "закрытый ключ не читается",
    "the private key does not belong to the certificate": "закрытый ключ не подходит к сертификату",
    "a client certificate needs security ssl or starttls": "для клиентского сертификата нужна защита ssl или starttls",
    "an access token is one line of printable characters without spaces": (
        "токен доступа — одна строка печатных символов без пробелов"
    ),
    # mailing schedules (NOT-2, NOT-3)
    "Mailing schedule {schedule_id} does not exist.": "График рассылки {schedule_id} не найден.",
    "is required for email schedules": "обязательно для графиков рассылки по Email",
    "{field}: unknown parameter {names}": "{field}: неизвестный параметр {names}",
    "unknown parameter %{name}%": "неизвестный параметр %{name}%",
    "{field}: {names} cannot be filled in {schedule_type} schedules": (
        "{field}: {names} нельзя заполнить в графиках рассылки типа {schedule_type}"
    ),
    "%{name}% is not available in {schedule_type} schedules": (
        "%{name}% недоступен в графиках рассылки типа {schedule_type}"
    ),
    "Invalid schedule parameters: {fields}": "Ошибка в параметрах графика рассылки: {fields}",
    "is not a parameter of {schedule_type} schedules": "не параметр графиков рассылки типа {schedule_type}",
    "is required for {schedule_type} schedules": "обязательно для графиков рассылки типа {schedule_type}",
    "must be a time as HH:MM, e.g. 10:00": "нужно время в виде ЧЧ:ММ, например 10:00",
    "must be a time as HH:MM between 00:00 and 23:59": "нужно время в виде ЧЧ:ММ от 00:00 до 23:59",
    # preview (NOT-4)
    "The notifier knows no appointment {request.appointment_id}.": (
        "Сервису рассылок неизвестна запись на приём {request.appointment_id}."
    ),
    "The notifier knows no patient {request.patient_id}.": "Сервису рассылок неизвестен пациент {request.patient_id}.",
    "is not a template parameter": "не параметр шаблона",
    # the message log
    "Message {message_id} does not exist.": "Сообщение {message_id} не найдено.",
    "Only failed messages or those of unknown delivery can be retried; this one is {message.status}.": (
        "Повторно отправить можно только неотправленное сообщение или сообщение с неизвестным итогом "
        "доставки; у этого статус {message.status}."
    ),
}
register_messages(MESSAGES_RU)
