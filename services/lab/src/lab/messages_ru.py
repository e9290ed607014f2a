"""Russian texts of the errors the lab service answers (clinic_shared.problems).

Keys are the English texts exactly as the source writes them, f-string placeholders included.
"""

from __future__ import annotations

from clinic_shared.problems import register_messages

MESSAGES_RU = {
    # access (LAB-7)
    "This user has no access to the laboratory.": "У пользователя нет доступа к лаборатории.",
    "The right '{needed}' is required.": "Нужно право «{needed}».",
    # settings and printers (LAB-1)
    "No barcode printer is set for workstation {workstation_id}.": (
        "Для рабочего места {workstation_id} не задан принтер штрихкодов."
    ),
    "unknown laboratory {lab_id}": "нет такой лаборатории: {lab_id}",
    "unknown laboratory {data.lab_id}": "нет такой лаборатории: {data.lab_id}",
    # lab doctors (LAB-7)
    "No lab doctor settings for user {user_id}.": "Для пользователя {user_id} нет настроек врача-лаборанта.",
    # labs and tests (LAB-2)
    "Laboratory {lab_id} not found.": "Лаборатория {lab_id} не найдена.",
    "Laboratory code {code} is taken.": "Код лаборатории {code} уже занят.",
    "Lab test {test_id} not found.": "Лабораторный тест {test_id} не найден.",
    "Test code {code} is taken in this laboratory.": "Код теста {code} в этой лаборатории уже занят.",
    "must not be null": "значение обязательно",
    "must be a finite number": "нужно конечное число",
    "must not be below reference_low": "не может быть меньше нижней границы нормы (reference_low)",
    "must not be below critical_low": "не может быть меньше нижней критической границы (critical_low)",
    "must not be above reference_low": "не может быть больше нижней границы нормы (reference_low)",
    "must not be below reference_high": "не может быть меньше верхней границы нормы (reference_high)",
    # catalogue loads
    "The catalogue file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB.": (
        "Файл каталога больше {MAX_FILE_BYTES // (1024 * 1024)} МиБ."
    ),
    "must be at most {MAX_FILE_BYTES} bytes": "не больше {MAX_FILE_BYTES} байт",
    "{len({r.row for r in rejected})} row(s) rejected; nothing was loaded.": (
        "Отклонено строк: {len({r.row for r in rejected})}; ничего не загружено."
    ),
    "the file is empty": "файл пуст",
    "the file has more than {MAX_ROWS} rows": "в файле больше {MAX_ROWS} строк",
    "duplicate code, first at row {first_row_of_code[code]}": (
        "код повторяется, впервые в строке {first_row_of_code[code]}"
    ),
    "the file is neither UTF-8 nor cp1251 text": "файл — не текст в кодировке UTF-8 или cp1251",
    "the file is not a CSV or XLSX table": "файл — не таблица CSV или XLSX",
    "the file is not a readable CSV table ({exc})": "файл не читается как таблица CSV ({exc})",
    "the file is not a readable XLSX workbook": "файл не читается как книга XLSX",
    "the workbook unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB": (
        "распакованная книга больше {MAX_UNPACKED_BYTES // (1024 * 1024)} МБ"
    ),
    "the workbook's first sheet is not a table": "первый лист книги — не таблица",
    "the workbook's sheet cannot be read to the end": "лист книги не читается до конца",
    "missing column(s): {', '.join(missing)}": "нет столбцов: {', '.join(missing)}",
    "is required": "обязательное поле",
    "longer than {limit} characters": "длиннее {limit} символов",
    "is not a number": "не число",
    # links (LAB-3)
    "unknown service {service_id}": "нет такой услуги в прайс-листе: {service_id}",
    "Checking a service in the price list needs the right 'scheduling.read'.": (
        "Чтобы проверить услугу в прайс-листе, нужно право «scheduling.read»."
    ),
    "The test is already linked to this service.": "Тест уже связан с этой услугой.",
    "Test-service link {link_id} not found.": "Связь теста с услугой {link_id} не найдена.",
    # charges
    "Charge {charge_id} not found.": "Начисление {charge_id} не найдено.",
    # patients (projection)
    "Patient {patient_id} is not known to the lab service yet.": (
        "Пациент {patient_id} ещё не известен лабораторному сервису."
    ),
    "unknown patient {patient_id}": "нет такого пациента: {patient_id}",
    "patient {patient_id} is deleted": "карта пациента {patient_id} удалена",
    # orders (LAB-4)
    "Lab order {order_id} not found.": "Лабораторный заказ {order_id} не найден.",
    "The laboratory is switched off in the settings (use_new_laboratory).": (
        "Лаборатория выключена в настройках (use_new_laboratory)."
    ),
    "laboratory {data.lab_id} is archived": "лаборатория {data.lab_id} в архиве",
    "you may order only from your own laboratory": "заказывать можно только в своей лаборатории",
    "unknown test {test_id}": "нет такого теста: {test_id}",
    "test {test_id} belongs to another laboratory": "тест {test_id} относится к другой лаборатории",
    "test {test_id} is archived": "тест {test_id} в архиве",
    "An order cannot go from {current} to {wanted}.": "Заказ нельзя перевести из статуса {current} в {wanted}.",
    "Barcodes can be changed only before the order is sent (it is {order.status}).": (
        "Штрихкоды можно менять только до отправки заказа (сейчас статус {order.status})."
    ),
    "Barcode {barcode} is already in use.": "Штрихкод {barcode} уже используется.",
    "duplicate barcode": "штрихкод уже используется",
    "Sample {sample_id} not found in order {order.id}.": "Пробирки {sample_id} нет в заказе {order.id}.",
    "Sample {sample_id} not found in order {order_id}.": "Пробирки {sample_id} нет в заказе {order_id}.",
    # exchange (LAB-8)
    "Only a created order can be sent (this one is {order.status}).": (
        "Отправить можно только созданный заказ (у этого статус {order.status})."
    ),
    # results (LAB-6)
    "The order is cancelled; it takes no results.": "Заказ отменён: результаты по нему не принимаются.",
    "The order is completed; its results change only by a correction.": (
        "Заказ выполнен: его результаты меняются только исправлением."
    ),
    "The order is cancelled; its results cannot be corrected.": "Заказ отменён: его результаты нельзя исправить.",
    "test {test_id} is not in this order": "теста {test_id} нет в этом заказе",
    "test {entry.test_id} is not in this order": "теста {entry.test_id} нет в этом заказе",
    "test {entry.test_id} appears twice": "тест {entry.test_id} указан дважды",
    "Test {test_id} has no result to correct.": "У теста {test_id} нет результата, который можно исправить.",
    "must be a number or text": "нужно число или текст",
    # visits (LAB-9)
    "Lab visit {visit_id} not found.": "Посещение {visit_id} не найдено.",
}

register_messages(MESSAGES_RU)
