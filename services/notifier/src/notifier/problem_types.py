"""The notifier's own problem types (`/problems/<code>`): the errors a front end tells apart.

Edits from a stale version answer the shared `version-mismatch` (412, with `current_version`
and `etag`); PUT /settings without If-Match the shared `if-match-required` (428).
"""

from __future__ import annotations

from clinic_shared.problems import ProblemType, register_problem_types

register_problem_types(
    ProblemType(
        "message-not-retryable",
        409,
        "The message cannot be sent again",
        "Сообщение нельзя отправить повторно",
        "Only a failed message or one of unknown delivery is queued again; `status_now` is its status.",
    ),
)
