"""The ONDOC bridge's problems a front end (or ONDOC) tells apart (`code`, `/problems/<code>`),
registered once.

The settings screen tells a switched-off integration from ONDOC refusing a call; the card
screen's «Привязать к OnDoc» tells an incomplete or deleted card, a patient already attached and
the hourly limit of codes apart; the mapping screen names the item an ONDOC item is mapped to
already; ONDOC itself reads a refused signature and a callback id used twice.
"""

from __future__ import annotations

from clinic_shared.problems import ProblemType, register_problem_types

ONDOC_DISABLED = "ondoc-disabled"
ONDOC_REJECTED = "ondoc-rejected"
SIGNATURE_REJECTED = "signature-rejected"
CARD_INCOMPLETE = "ondoc-card-incomplete"
CARD_DELETED = "ondoc-card-deleted"
ALREADY_ATTACHED = "ondoc-already-attached"
ATTACH_CODES_LIMITED = "ondoc-attach-codes-limited"
ITEM_ALREADY_MAPPED = "ondoc-item-already-mapped"
CALLBACK_ID_REUSED = "callback-id-reused"
CALLBACK_IN_PROGRESS = "callback-in-progress"

register_problem_types(
    ProblemType(
        ONDOC_DISABLED,
        409,
        "ONDOC integration is disabled",
        "Интеграция с ONDOC выключена",
        "The ONDOC integration is switched off or lacks its server or tokens in the ONDOC settings.",
    ),
    ProblemType(
        ONDOC_REJECTED,
        502,
        "ONDOC did not accept the request",
        "ONDOC не принял запрос",
        "ONDOC is down or refused what the bridge sent (`uploads` names the directories that failed).",
    ),
    ProblemType(
        SIGNATURE_REJECTED,
        401,
        "Callback signature rejected",
        "Подпись обратного вызова отклонена",
        "An ONDOC callback whose signature, timestamp or headers do not check out.",
    ),
    ProblemType(
        CARD_INCOMPLETE,
        422,
        "The card lacks data ONDOC needs",
        "В карте не хватает данных для ONDOC",
        "Full name, birth date and a mobile phone or e-mail are needed to attach a patient (`errors` names them).",
    ),
    ProblemType(
        CARD_DELETED,
        409,
        "The card is deleted",
        "Карта удалена",
        "A deleted card cannot be attached to ONDOC; restore it first.",
    ),
    ProblemType(
        ALREADY_ATTACHED,
        409,
        "Already attached to ONDOC",
        "Уже привязан к ONDOC",
        "The card, or the ONDOC patient, is attached already: detach first to attach again.",
    ),
    ProblemType(
        ATTACH_CODES_LIMITED,
        429,
        "Too many attach codes",
        "Слишком много кодов привязки",
        "The hourly limit of attach codes per patient is reached: try again after `retry_after` seconds.",
    ),
    ProblemType(
        ITEM_ALREADY_MAPPED,
        409,
        "ONDOC item already mapped",
        "Элемент ONDOC уже сопоставлен",
        "The ONDOC item is mapped to another of our items of the directory (`conflicts` names it).",
    ),
    ProblemType(
        CALLBACK_ID_REUSED,
        409,
        "Callback id reused",
        "Повтор идентификатора обратного вызова",
        "The callback id was already used for a different callback.",
    ),
    ProblemType(
        CALLBACK_IN_PROGRESS,
        409,
        "Callback in progress",
        "Обратный вызов обрабатывается",
        "The callback with this id is being handled right now: repeat it later to get its answer.",
    ),
)
