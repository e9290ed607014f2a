"""Russian texts of the errors the ONDOC bridge answers (clinic_shared.problems): the English
text exactly as the source writes it → the Russian one, same placeholders. ONDOC is written as
the portal names itself; «привязка» is the attaching of a patient to ONDOC."""

from __future__ import annotations

from clinic_shared.problems import register_messages

MESSAGES_RU = {
    # settings (config/)
    "The ONDOC integration is switched off in the settings (enabled = false).": (
        "Интеграция с ONDOC выключена в настройках (enabled = false)."
    ),
    "ONDOC settings lack: {', '.join(missing)}": "В настройках ONDOC не заполнено: {', '.join(missing)}",
    "Switching ONDOC on needs: {', '.join(missing)}": "Чтобы включить ONDOC, заполните: {', '.join(missing)}",
    "required while enabled is true": "обязательно, пока интеграция включена (enabled = true)",
    "cannot be null; leave the field out to keep its value": (
        "не может быть null; чтобы оставить прежнее значение, не передавайте поле"
    ),
    "must be an http:// or https:// URL": "нужен адрес, начинающийся с http:// или https://",
    "secrets must differ": "секреты не должны повторяться",
    "time_zone: {message}": "time_zone: {message}",
    "ONDOC works in the clinic's time zone, {effective} ({offset}); it is changed for the whole "
    "platform in its settings (PUT /api/platform/settings), not here": (
        "ONDOC работает в часовом поясе клиники, {effective} ({offset}); он меняется для всей платформы "
        "в её настройках (PUT /api/platform/settings), а не здесь"
    ),
    "empty time zone": "часовой пояс не указан",
    "offset out of range: {value}": "смещение вне допустимого диапазона: {value}",
    "unknown time zone: {value}": "неизвестный часовой пояс: {value}",
    # attach codes and links (attach/, links/)
    "No patient card with this id.": "Нет карты пациента с таким идентификатором.",
    "The card is deleted; restore it before attaching the patient to ONDOC.": (
        "Карта удалена; восстановите её, прежде чем привязывать пациента к ONDOC."
    ),
    "The card lacks data ONDOC needs: {fields}": "В карте не хватает данных, нужных ONDOC: {fields}",
    "required to attach the patient to ONDOC": "обязательно для привязки пациента к ONDOC",
    "a mobile phone or an e-mail is required to attach the patient to ONDOC": (
        "для привязки пациента к ONDOC нужен мобильный телефон или e-mail"
    ),
    "The patient is already attached to ONDOC; detach first to attach again.": (
        "Пациент уже привязан к ONDOC; чтобы привязать заново, сначала отвяжите его."
    ),
    "At most {per_hour} codes per patient per hour; try again later.": (
        "Не более {per_hour} кодов привязки на пациента в час; повторите попытку позже."
    ),
    "Could not find a free attach code; try again.": "Не удалось подобрать свободный код привязки; повторите попытку.",
    "The card is not attached to ONDOC.": "Карта не привязана к ONDOC.",
    "This ONDOC patient is already attached to a card of the clinic; detach it first.": (
        "Этот пациент ONDOC уже привязан к карте клиники; сначала отвяжите его."
    ),
    "The card is already attached to another ONDOC patient; detach it first.": (
        "Карта уже привязана к другому пациенту ONDOC; сначала отвяжите её."
    ),
    "The code is unknown, expired or already used.": "Код неизвестен, просрочен или уже использован.",
    # booking and cancelling from ONDOC (booking/)
    "must be after start": "должно быть позже начала",
    "No such appointment.": "Нет такой записи на приём.",
    "No appointment of the clinic has this ONDOC id.": "Нет записи на приём клиники с таким идентификатором ONDOC.",
    "this ONDOC patient is not attached to the clinic": "этот пациент ONDOC не привязан к клинике",
    "no item of our {kind} is mapped to this ONDOC id": "ни один элемент справочника {kind} не сопоставлен с этим идентификатором ONDOC",
    "The scheduling service is unavailable; try again later.": "Сервис расписания недоступен; повторите попытку позже.",
    "{prefix}: the scheduling service answered {response.status_code}.": (
        "{prefix}: сервис расписания ответил {response.status_code}."
    ),
    "{prefix}: {detail}": "{prefix}: {detail}",
    "The slot cannot be booked: {detail}": "Записать на это время нельзя: {detail}",
    "The appointment cannot be read: {detail}": "Запись на приём не читается: {detail}",
    "The appointment cannot be cancelled: {detail}": "Запись на приём нельзя отменить: {detail}",
    "The slot cannot be booked: the scheduling service answered {status}.": (
        "Записать на это время нельзя: сервис расписания ответил {status}."
    ),
    "The appointment cannot be read: the scheduling service answered {status}.": (
        "Запись на приём не читается: сервис расписания ответил {status}."
    ),
    "The appointment cannot be cancelled: the scheduling service answered {status}.": (
        "Запись на приём нельзя отменить: сервис расписания ответил {status}."
    ),
    # callbacks from ONDOC (callbacks/)
    "The ONDOC integration is switched off in the clinic's settings; try again later.": (
        "Интеграция с ONDOC выключена в настройках клиники; повторите попытку позже."
    ),
    "required: 1–100 characters of letters, digits, . _ : -": "обязательно: от 1 до 100 символов — буквы, цифры, . _ : -",
    "This callback id was already used for a different callback.": (
        "Этот идентификатор обратного вызова уже использован для другого вызова."
    ),
    "This callback is being handled right now; repeat it later to get its answer.": (
        "Этот обратный вызов сейчас обрабатывается; повторите его позже, чтобы получить ответ."
    ),
    "Callback rejected: {exc}.": "Обратный вызов отклонён: {exc}.",
    "Callback rejected: no callback secret is configured.": "Обратный вызов отклонён: не настроен секрет обратных вызовов.",
    "Callback rejected: the timestamp, signature and callback id headers are required.": (
        "Обратный вызов отклонён: нужны заголовки с меткой времени, подписью и идентификатором вызова."
    ),
    "Callback rejected: the timestamp must be unix seconds.": (
        "Обратный вызов отклонён: метка времени должна быть в секундах Unix."
    ),
    "Callback rejected: the timestamp is outside the allowed window.": (
        "Обратный вызов отклонён: метка времени вне допустимого окна."
    ),
    "Callback rejected: the signature does not match.": "Обратный вызов отклонён: подпись не совпадает.",
    "request body is not valid JSON": "тело запроса — не JSON",
    "Invalid callback body: {fields}": "Ошибка в теле обратного вызова: {fields}",
    "doctor_mis_id or doctor_ondoc_id is required": "нужен doctor_mis_id или doctor_ondoc_id",
    "end or duration_minutes is required": "нужен end или duration_minutes",
    "mis_appointment_id or ondoc_appointment_id is required": "нужен mis_appointment_id или ondoc_appointment_id",
    # directories and mappings (directories/)
    "This item is not mapped to ONDOC.": "Этот элемент не сопоставлен с ONDOC.",
    "This ONDOC item is already mapped to another of our items.": (
        "Этот элемент ONDOC уже сопоставлен с другим элементом нашего справочника."
    ),
    "The scheduling service is unavailable; the directories were not uploaded.": (
        "Сервис расписания недоступен; справочники не выгружены."
    ),
    "The scheduling service answered {response.status_code} for {url}.": (
        "Сервис расписания ответил {response.status_code} на запрос {url}."
    ),
    "ONDOC did not accept: {kinds}": "ONDOC не принял: {kinds}",
    # the outbound queue (outbound/)
    "No such outbound item.": "Нет такого исходящего сообщения.",
}
register_messages(MESSAGES_RU)
