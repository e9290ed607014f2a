"""Russian texts of the errors the patients service shows a client (clinic_shared.problems)."""

from __future__ import annotations

from clinic_shared.problems import register_messages

MESSAGES_RU = {
    # cards
    "Patient card {card_id} not found.": "Карта пациента {card_id} не найдена.",
    "The card is deleted; restore it before editing.": "Карта удалена; восстановите её, чтобы изменить.",
    "A request with this Idempotency-Key is still being processed; retry shortly.": (
        "Запрос с этим ключом Idempotency-Key ещё выполняется; повторите чуть позже."
    ),
    "Invalid card: {fields}": "Ошибка в карте пациента: {fields}",
    "is required by the card settings": "обязательное поле по настройкам карт",
    "a mobile phone or an e-mail is required by the card settings": (
        "по настройкам карт нужен мобильный телефон или e-mail"
    ),
    "must not be empty": "не может быть пустым",
    "must be plain text of at most {NAME_MAX_LENGTH} characters": (
        "должно быть простым текстом не длиннее {NAME_MAX_LENGTH} символов"
    ),
    "must not contain control characters": "не должно содержать управляющих символов",
    "must not be in the future": "не может быть в будущем",
    "must not be before {MIN_BIRTH_DATE.isoformat()}": "не может быть раньше {MIN_BIRTH_DATE.isoformat()}",
    "is not a valid e-mail address": "неверный адрес e-mail",
    # phones (clinic_shared.phones, shown on the card's phone fields and the phone search)
    "is empty": "пустое значение",
    "must be at most {MAX_PHONE_LENGTH} characters": "не длиннее {MAX_PHONE_LENGTH} символов",
    "is not a phone number": "не похоже на номер телефона",
    "must not contain an extension": "не должен содержать добавочный номер",
    "is not a valid phone number": "неверный номер телефона",
    "is not a mobile number": "не номер мобильного телефона",
    "must be a phone number or at least {MIN_PARTIAL_DIGITS} of its last digits": (
        "укажите номер телефона или хотя бы {MIN_PARTIAL_DIGITS} последние цифры"
    ),
    # batch creation (imports)
    "{len(invalid)} of {len(raw_cards)} cards are invalid (indexes {shown}); nothing was saved.": (
        "Ошибки в {len(invalid)} из {len(raw_cards)} карт (номера в списке: {shown}); ничего не сохранено."
    ),
    "was already used for a different request": "уже использован для другого запроса",
    "must be a list of cards": "нужен список карт",
    "must hold at most {MAX_BATCH_CARDS} cards; send the rest in another request": (
        "не больше {MAX_BATCH_CARDS} карт за раз; остальные отправьте следующим запросом"
    ),
    # cards out of the archive (PAT-9)
    "The card is already out of the archive (issue {issue.id}, due back {issue.due_back.isoformat()}); "
    "return it before giving it out again.": (
        "Карта уже выдана из архива (выдача {issue.id}, вернуть до {issue.due_back.isoformat()}); "
        "верните её в архив, прежде чем выдавать снова."
    ),
    "The card is deleted; restore it before giving it out.": "Карта удалена; восстановите её, прежде чем выдавать.",
    "The card is in the archive: it was not given out.": "Карта в архиве: её не выдавали.",
    "must not be before the day of issue ({issued_on.isoformat()})": (
        "не может быть раньше дня выдачи ({issued_on.isoformat()})"
    ),
    "must be at most {MAX_OUT_DAYS} days after the day of issue": (
        "не позже чем через {MAX_OUT_DAYS} дней после дня выдачи"
    ),
    "must not be before issued_from": "не может быть раньше начала периода (issued_from)",
    # discount cards (PAT-7)
    "The patient card is deleted; restore it before issuing a discount card.": (
        "Карта пациента удалена; восстановите её, чтобы выдать дисконтную карту."
    ),
    "Discount card number {number} is already issued.": "Дисконтная карта с номером {number} уже выдана.",
    # sex by patronymic (PAT-6)
    "The ending '{ending}' is already in the dictionary.": (
        "Окончание «{ending}» уже есть в справочнике «Зависимость пола от отчества»."
    ),
    "Sex ending {ending_id} not found.": "Окончание отчества {ending_id} не найдено.",
    "must be 1–{rules.ENDING_MAX_LENGTH} letters": "от 1 до {rules.ENDING_MAX_LENGTH} букв",
}
register_messages(MESSAGES_RU)
