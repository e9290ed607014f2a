"""Russian texts of the errors the profexam service answers (clinic_shared.problems).

Keys are the English texts exactly as the source writes them, f-string placeholders included.
"""

from __future__ import annotations

from clinic_shared.problems import register_messages

MESSAGES_RU = {
    # access (PRO-8)
    "A user limited to chosen organisations cannot manage organisation access.": (
        "Пользователь с доступом только к выбранным организациям не может управлять доступом к организациям."
    ),
    "User {user_id} is not limited to chosen organisations.": (
        "Доступ пользователя {user_id} не ограничен выбранными организациями."
    ),
    "no such organisation": "нет такой организации",
    "Invalid organization_ids: unknown organisation(s)": "Неверный список организаций: есть неизвестные организации",
    # organisations and contracts (PRO-1)
    "Organisation {organization_id} not found.": "Организация {organization_id} не найдена.",
    "A user limited to chosen organisations cannot add organisations.": (
        "Пользователь с доступом только к выбранным организациям не может добавлять организации."
    ),
    "The organisation has {exams} exam(s); it cannot be deleted.": (
        "У организации есть профосмотры ({exams}): её нельзя удалить."
    ),
    "Contract {contract_id} not found.": "Договор {contract_id} не найден.",
    "valid_to must not be before valid_from": "дата окончания договора не может быть раньше даты начала",
    # price lists (PRO-7)
    "Price {price_id} not found in contract {contract_id}.": "Услуги {price_id} нет в прайс-листе договора {contract_id}.",
    "The service {code} is already in this contract's price list.": "Услуга {code} уже есть в прайс-листе этого договора.",
    "must not contain control characters": "не должно содержать управляющих символов",
    # exams and employees (PRO-1, PRO-2)
    "Exam {exam_id} not found.": "Профосмотр {exam_id} не найден.",
    "is not a contract of the exam's organisation": "это не договор организации, проводящей профосмотр",
    "must not be empty": "значение обязательно",
    "must not be before period_from": "не может быть раньше начала периода (period_from)",
    "period_to must not be before period_from": "конец периода не может быть раньше его начала",
    "give either patient_id (an existing card) or patient (a new card)": (
        "укажите либо patient_id (существующая карта), либо patient (новая карта)"
    ),
    "This patient is already in the exam.": "Этот пациент уже есть в списке профосмотра.",
    "The patients service refused the card.": "Сервис пациентов не принял карту.",
    "The card was not found in patients right after it was made.": (
        "Карта не нашлась в сервисе пациентов сразу после создания."
    ),
    "no such patient card": "нет такой карты пациента",
    "the card is deleted; restore it first": "карта удалена: сначала восстановите её",
    "Employee {employee_id} not found in exam {exam_id}.": "Сотрудника {employee_id} нет в профосмотре {exam_id}.",
    "Invalid phone: {field}": "Неверный телефон: {field}",
    # harmful factors
    "unknown harmful factor code(s): {', '.join(match.unknown)}": (
        "неизвестные коды вредных факторов: {', '.join(match.unknown)}"
    ),
    "{data.factor_code} is not a code of the dictionary": "{data.factor_code} — не код из справочника",
    "The code {source} is already mapped to {existing.factor_code}.": (
        "Код {source} уже сопоставлен с {existing.factor_code}."
    ),
    "Factor mapping {mapping_id} not found.": "Сопоставление кода фактора {mapping_id} не найдено.",
    # calculations
    "Calculation {calculation_id} not found.": "Расчёт {calculation_id} не найден.",
    "is not a calculation of this exam": "это не расчёт этого профосмотра",
    "is not a position of the calculation": "такой должности нет в расчёте",
    "The calculation plans {line.headcount} employee(s) as {line.position}; this would make {counts[key]}.": (
        "Расчёт предусматривает сотрудников в должности {line.position}: {line.headcount}; стало бы {counts[key]}."
    ),
    # imports
    "Import {run_id} not found.": "Загрузка {run_id} не найдена.",
    "no sheet named {wanted}; the visible sheets are: {names}": "нет листа {wanted}; видимые листы: {names}",
    "The file is an Excel 97–2003 workbook (.xls); save it as an Excel workbook (.xlsx) and upload it again.": (
        "Файл — книга Excel 97–2003 (.xls): сохраните его как книгу Excel (.xlsx) и загрузите снова."
    ),
    "xls is not supported; use xlsx": "формат xls не поддерживается: нужен xlsx",
    "the workbook has no visible sheet; name the sheet to read": "в книге нет видимых листов: укажите, какой лист читать",
    "the workbook has {len(visible)} visible sheet(s); sheet {wanted} does not exist": (
        "видимых листов в книге: {len(visible)}; листа {wanted} нет"
    ),
    "the sheet has more than {limits.max_rows} data rows; split the list into several files": (
        "на листе больше {limits.max_rows} строк с данными: разделите список на несколько файлов"
    ),
    "the sheet has more than {settings.import_max_rows} data rows; split the list into several files": (
        "на листе больше {settings.import_max_rows} строк с данными: разделите список на несколько файлов"
    ),
    "must be a column letter such as A": "нужна буква столбца, например A",
    "must be a column letter from A to XFD": "нужна буква столбца от A до XFD",
    "must be a JSON object": "нужен объект JSON",
    "is not valid JSON": "это не JSON",
    "last_row must not be before first_row": "последняя строка (last_row) не может быть раньше первой (first_row)",
    "columns are required for: {', '.join(missing)}": "нужно указать столбцы для: {', '.join(missing)}",
    "Invalid mapping: {fields}": "Неверное соответствие столбцов: {fields}",
    "The file is larger than the {limit_mb} MB allowed for an import.": (
        "Файл больше {limit_mb} МБ, допустимых для загрузки."
    ),
    "the file is empty": "файл пуст",
    "must be at most {settings.import_max_file_bytes} bytes": "не больше {settings.import_max_file_bytes} байт",
    "The contract {expired.number} ended on {expired.valid_to.strftime('%d.%m.%Y')}; add a current contract to the "
    "organisation before importing employees.": (
        "Договор {expired.number} закончился {expired.valid_to.strftime('%d.%m.%Y')}: добавьте организации "
        "действующий договор, прежде чем загружать сотрудников."
    ),
    # calls to patients
    "The patients service refused: {detail}": "Сервис пациентов отказал: {detail}",
    "The patients service refused the token: {detail}": "Сервис пациентов не принял токен: {detail}",
    "The patients service answered 404: {detail}": "Сервис пациентов ответил 404: {detail}",
    "The patients service is unavailable: {detail}": "Сервис пациентов недоступен: {detail}",
    "The patients service answered {response.status_code}: {detail}": (
        "Сервис пациентов ответил {response.status_code}: {detail}"
    ),
    "The patients service is unavailable; try again shortly.": "Сервис пациентов недоступен; повторите попытку чуть позже.",
}

register_messages(MESSAGES_RU)
