"""The patients service's own problem types (`/problems/<code>`): the errors a front end tells apart.

Concurrent edits answer the shared `version-mismatch` (412, with `current_version` and `etag`)
and `if-match-required` (428), clinic_shared.concurrency.
"""

from __future__ import annotations

from clinic_shared.problems import ProblemType, register_problem_types

register_problem_types(
    ProblemType(
        "card-deleted",
        409,
        "The card is deleted",
        "Карта удалена",
        "A deleted card cannot be edited, given out of the archive or get a discount card; restore it first.",
    ),
    ProblemType(
        "card-out-of-archive",
        409,
        "The card is out of the archive",
        "Карта выдана из архива",
        "The paper card is already given out (PAT-9); the problem names the current issue "
        "(`issue_id`, `recipient_name`, `due_back`…). Return it first.",
    ),
    ProblemType(
        "card-in-archive",
        409,
        "The card is in the archive",
        "Карта в архиве",
        "Only a card given out of the archive can be returned (PAT-9).",
    ),
    ProblemType(
        "card-request-in-progress",
        409,
        "The same request is still in progress",
        "Такой же запрос ещё выполняется",
        "A card creation or import with this Idempotency-Key has not finished yet; retry shortly.",
    ),
    ProblemType(
        "discount-number-taken",
        409,
        "Discount card number taken",
        "Номер дисконтной карты занят",
        "A discount card with this number is already issued (PAT-7).",
    ),
    ProblemType(
        "sex-ending-exists",
        409,
        "The ending is already in the dictionary",
        "Окончание уже есть в справочнике",
        "The sex-by-patronymic dictionary has this ending already (PAT-6).",
    ),
)
