"""Russian texts of the errors scheduling answers with (clinic_shared.problems).

Keys are the English texts exactly as the source writes them (f-string placeholders as
written); the directories' labels are substituted into generic texts, so those texts are also
given once per directory, naming it as the clinic knows it (справочник «Кабинеты»).
"""

from __future__ import annotations

from clinic_shared.problems import register_messages

# A directory's label (as the source names it) → the directory's Russian name.
DIRECTORIES_RU = {
    "building": "Здания",
    "department": "Отделения",
    "cabinet": "Кабинеты",
    "specialization": "Специальности",
    "doctor": "Врачи",
    "service": "Услуги",
    "appointment kind": "Виды приёма",
    "information source": "Источники информации",
    "record type": "Типы записи",
    "communication status": "Коммуникационные статусы",
    "appointment status": "Статусы записи",
    "deletion reason": "Причины удаления",
    "day type": "Типы дня",
}

MESSAGES_RU = {
    # appointments: booking checks
    "The time overlaps another appointment of the same doctor or cabinet.": (
        "Время пересекается с другой записью на приём к этому врачу или в этот кабинет."
    ),
    "The doctor has no working schedule on that date.": "У врача нет расписания на эту дату.",
    "The time is outside the doctor's working hours.": "Время вне рабочего времени врача.",
    "The time falls into the doctor's break.": "Время приходится на перерыв врача.",
    "The time is outside the cabinet's working hours.": "Время вне рабочего времени кабинета.",
    "The time falls into the cabinet's break.": "Время приходится на перерыв кабинета.",
    "The right '{rights.OVERBOOK}' is required to overbook.": (
        "Для записи сверх расписания нужно право «{rights.OVERBOOK}»."
    ),
    "must not be more than {past_days} day(s) in the past": "запись возможна не более чем на {past_days} дн. назад",
    "must not be more than {horizon_days} day(s) ahead": "запись возможна не более чем на {horizon_days} дн. вперёд",
    "give either end or duration_minutes, not both": "укажите либо end, либо duration_minutes, но не оба",
    "must be positive": "должно быть больше нуля",
    "must be at most 24 hours": "не более 24 часов",
    "must be after start": "должно быть позже начала",
    "an appointment lasts at most 24 hours": "запись на приём длится не более 24 часов",
    # appointments: edits, trash, statuses, cards
    "No appointment {appointment_id}.": "Нет записи на приём {appointment_id}.",
    "is set only by a status that marks appointments processed": (
        "устанавливается только статусом, который отмечает запись обработанной"
    ),
    "must not be null": "не может быть пустым",
    "the appointment is linked to a card: edit the card instead": (
        "запись привязана к карте пациента: измените данные в карте"
    ),
    "give exactly one of patient_id and patient": "укажите либо карту (patient_id), либо пациента (patient)",
    "must not be in the future": "не может быть в будущем",
    "The appointment is in the trash; restore it first.": "Запись на приём в корзине: сначала восстановите её.",
    "The appointment is not in the trash.": "Запись на приём не в корзине.",
    "a deletion reason is required": "укажите причину удаления",
    "give either reason_id or reason_code, not both": "укажите либо reason_id, либо reason_code, но не оба",
    "Only the {allowed} service may delete with the reserved reason {code}.": (
        "Удалить запись с зарезервированной причиной {code} может только служба {allowed}."
    ),
    "The appointment is already linked to a card.": "Запись на приём уже привязана к карте пациента.",
    "give either patient_id or create: true": "укажите либо карту (patient_id), либо create: true",
    "A card can be created only on behalf of a user.": "Карту пациента может создать только пользователь.",
    "The patients service did not answer; try again shortly.": (
        "Сервис карт пациентов не ответил; повторите попытку чуть позже."
    ),
    "The patients service answered {response.status_code}; try again shortly.": (
        "Сервис карт пациентов ответил ошибкой {response.status_code}; повторите попытку чуть позже."
    ),
    "The patients service refused the card: {problem.get('detail', response.reason_phrase)}": (
        "Сервис карт пациентов не принял карту: {problem.get('detail', response.reason_phrase)}"
    ),
    "no such patient card": "нет такой карты пациента",
    "the patient card is deleted": "карта пациента удалена",
    "must be 1 to {MAX_KEY_LENGTH} characters": "должен быть длиной от 1 до {MAX_KEY_LENGTH} символов",
    "was already used for a different request": "уже использован для другого запроса",
    # directories
    "No {spec.label} {item_id}.": "Нет элемента справочника «{spec.label}» {item_id}.",
    "no such {label}": "нет такого элемента справочника «{label}»",
    "the {label} is inactive": "элемент справочника «{label}» неактивен",
    "The {spec.label} is in use ({', '.join(uses)}); deactivate it with active=false instead.": (
        "Элемент справочника «{spec.label}» используется ({', '.join(uses)}); "
        "вместо удаления сделайте его неактивным (active=false)."
    ),
    "The {spec.label} is in use; deactivate it instead.": (
        "Элемент справочника «{spec.label}» используется; вместо удаления сделайте его неактивным."
    ),
    "Another {spec.label} already has {name} '{values[name]}'.": (
        "В справочнике «{spec.label}» уже есть элемент с {name} «{values[name]}»."
    ),
    "Another {spec.label} already has one of: {', '.join(spec.unique)}.": (
        "В справочнике «{spec.label}» уже есть элемент с тем же значением: {', '.join(spec.unique)}."
    ),
    "A system record type cannot be deleted; deactivate it instead.": (
        "Системный тип записи нельзя удалить; сделайте его неактивным."
    ),
    "a system record type keeps its code": "код системного типа записи изменить нельзя",
    "A reserved deletion reason cannot be deleted: patients' cancellations from ONDOC and the website are "
    "recorded with it.": (
        "Зарезервированную причину удаления нельзя удалить: с ней записываются отмены пациентами из ONDOC и с сайта."
    ),
    "A reserved deletion reason cannot be changed ({name}): patients' cancellations from ONDOC and the website are "
    "recorded with it.": (
        "Зарезервированную причину удаления нельзя изменить ({name}): с ней записываются отмены пациентами "
        "из ONDOC и с сайта."
    ),
    "The reserved flag of a deletion reason cannot be changed: reserved reasons are created by the platform.": (
        "Признак зарезервированной причины удаления изменить нельзя: такие причины создаёт сама система."
    ),
    "no such specialization": "нет такой специальности",
    "no such doctor: {', '.join(missing)}": "нет такого врача: {', '.join(missing)}",
    "no such {name[:-3]}: {', '.join(missing)}": "нет такого элемента ({name[:-3]}): {', '.join(missing)}",
    "no such cabinet: {', '.join(missing)}": "нет такого кабинета: {', '.join(missing)}",
    # schedules
    "No schedule {schedule_id}.": "Нет расписания {schedule_id}.",
    "A schedule for {data.date.isoformat()} was created meanwhile.": (
        "Расписание на {data.date.isoformat()} тем временем уже создал кто-то другой."
    ),
    "A schedule for {existing.work_date.isoformat()} already exists; change it with PUT /schedules/{existing.id}.": (
        "Расписание на {existing.work_date.isoformat()} уже есть; измените его через PUT /schedules/{existing.id}."
    ),
    "{len(stranded)} active appointment(s) would be left outside working time or in a break; move or delete "
    "them first.": (
        "Активные записи на приём ({len(stranded)}) окажутся вне рабочего времени или в перерыве; "
        "сначала перенесите или удалите их."
    ),
    "give exactly one of doctor_id and cabinet_id": "укажите либо врача (doctor_id), либо кабинет (cabinet_id)",
    "must not be before date_from": "не может быть раньше date_from",
    "a period of at most 366 days can be filled at once": "за один раз можно заполнить не более 366 дней",
    "the break must lie inside one working interval": "перерыв должен быть внутри одного рабочего интервала",
    "the break overlaps another break of this day": "перерыв пересекается с другим перерывом этого дня",
    "at least one working interval is required": "нужен хотя бы один рабочий интервал",
    "must lie inside one working interval": "должен быть внутри одного рабочего интервала",
    "must be before 24:00": "должно быть раньше 24:00",
    "overlaps {field}.{previous}": "пересекается с {field}.{previous}",
    "must be a time as HH:MM": "нужно время в формате ЧЧ:ММ",
    "this time does not exist on {work_date.isoformat()} in {tz.key} (clocks go forward)": (
        "этого времени {work_date.isoformat()} в поясе {tz.key} нет (перевод часов вперёд)"
    ),
    # calendar, free time, search, export
    "the calendar shows at most {MAX_DAYS} days": "календарь показывает не более {MAX_DAYS} дней",
    "the period must not be longer than {MAX_DAYS} days": "период не может быть длиннее {MAX_DAYS} дней",
    "must be greater than 0": "должно быть больше 0",
    "must not exceed {MAX_DURATION_MINUTES}": "не может быть больше {MAX_DURATION_MINUTES}",
    "give doctor_id, specialization_id or service_id": "укажите врача, специальность или услугу",
    "cannot be combined with date_from or date_to": "нельзя сочетать с date_from или date_to",
    "must be at least {MIN_QUERY_LENGTH} characters": "не короче {MIN_QUERY_LENGTH} символов",
    "must contain a name or a phone number": "должен содержать фамилию, имя или номер телефона",
    "must be a name or a phone number (at least {MIN_PARTIAL_DIGITS} of its last digits)": (
        "нужны фамилия, имя или номер телефона (не менее {MIN_PARTIAL_DIGITS} последних цифр)"
    ),
    "{total} appointments found, at most {max_rows} can be exported: narrow the filter": (
        "Найдено записей на приём: {total}; выгрузить можно не более {max_rows}: сузьте условия отбора"
    ),
    "No doctor {doctor_id}.": "Нет врача {doctor_id}.",
    "A calendar view belongs to a user; a service token has none.": (
        "Вид календаря есть только у пользователя; у сервисного токена его нет."
    ),
    # waiting list
    "No waiting-list entry {entry_id}.": "Нет записи в листе ожидания {entry_id}.",
    "the entry names no doctor: choose one": "в записи листа ожидания не указан врач: выберите врача",
    "must be after wished_time_from": "должно быть позже wished_time_from",
    # online booking
    "No online-booking link {link_id}.": "Нет настройки онлайн-записи {link_id}.",
    "The doctor is already linked to this service.": "Эта услуга врача уже доступна для онлайн-записи.",
    "The online-booking link is not valid.": "Настройка онлайн-записи заполнена неверно.",
    "The general discount is not valid.": "Общая скидка указана неверно.",
    "No API key {key_id}.": "Нет ключа API {key_id}.",
    "An X-Api-Key header with the clinic's widget key is required.": (
        "Нужен заголовок X-Api-Key с ключом виджета клиники."
    ),
    "The API key is not valid.": "Ключ API недействителен.",
    "No online booking {appointment_id} with this phone.": "Нет онлайн-записи {appointment_id} с этим телефоном.",
    "no such doctor taking online bookings": "нет такого врача с онлайн-записью",
    "the doctor does not offer this service online": "врач не оказывает эту услугу по онлайн-записи",
    "The time is already taken; choose another free slot.": "Это время уже занято; выберите другое свободное время.",
    "The doctor does not see patients at this time; choose another free slot.": (
        "В это время врач не принимает; выберите другое свободное время."
    ),
    "The doctor has a break at this time; choose another free slot.": (
        "В это время у врача перерыв; выберите другое свободное время."
    ),
    "The time cannot be booked; choose another free slot.": (
        "На это время записаться нельзя; выберите другое свободное время."
    ),
    "must be one of: {', '.join(MODES)}": "допустимые значения: {', '.join(MODES)}",
    "must be a finite number": "нужно конечное число",
    "must not be negative": "не может быть отрицательным",
    "must have at most 2 decimal places (kopecks)": "не более 2 знаков после запятой (копейки)",
    "must be between 0 and 100": "должно быть от 0 до 100",
    "must have at most 2 decimal places": "не более 2 знаков после запятой",
    "is required when the price is shown": "обязательно, когда цена показывается",
    "is required when a prepayment is required": "обязательно, когда нужна предоплата",
    "must be greater than 0 when a prepayment is required": "должно быть больше 0, когда нужна предоплата",
    "must not exceed the price": "не может быть больше цены",
    "needs a required prepayment": "возможно только при обязательной предоплате",
    "is required when there is a discount on prepayment": "обязательно при скидке за предоплату",
}

# The generic directory texts once per directory, in its Russian name.
for _label, _name in DIRECTORIES_RU.items():
    MESSAGES_RU.update(
        {
            f"No {_label} {{item_id}}.": f"В справочнике «{_name}» нет элемента {{item_id}}.",
            f"no such {_label}": f"нет в справочнике «{_name}»",
            f"the {_label} is inactive": f"элемент справочника «{_name}» неактивен",
            f"The {_label} is in use ({{uses}}); deactivate it with active=false instead.": (
                f"Элемент справочника «{_name}» используется ({{uses}}); "
                "вместо удаления сделайте его неактивным (active=false)."
            ),
            f"The {_label} is in use; deactivate it instead.": (
                f"Элемент справочника «{_name}» используется; вместо удаления сделайте его неактивным."
            ),
            f"Another {_label} already has {{name}} '{{value}}'.": (
                f"В справочнике «{_name}» уже есть элемент с {{name}} «{{value}}»."
            ),
        }
    )

register_messages(MESSAGES_RU)
