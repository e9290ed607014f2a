"""Why an order (or its cancellation) did not reach the lab, in Russian for staff (LAB-8, #14).

A delivery's `last_error` stays what the exchange wrote: a stable text ("the lab answered HTTP
500", …) that logs and scripts match on, so it is never translated. The API shows
`last_error_text` next to it: the same reason as a clinic reads it. What the lab or the network
said in its own words (an exception's name and text) is kept after a Russian lead-in.
"""

from __future__ import annotations

import re

from clinic_shared.error_texts import Rule
from clinic_shared.error_texts import error_text as shared_error_text
from clinic_shared.problems import translate
from lab import messages_ru  # noqa: F401  (the Russian texts `translate` gives the clinic's reasons)

# Written by the exchange as they are (see exchange/http.py and exchange/worker.py).
NO_EXCHANGE_URL = "the laboratory has no exchange_url and the fake lab is off"
NO_EXTERNAL_ID = "the lab's answer has no external_id"
RESULTS_UNREADABLE = "the lab's results could not be read"
RESULTS_REFUSED = "the lab's results were refused: "  # + the clinic's reason (a ClinicError's detail)

REASONS: dict[str, str] = {
    NO_EXCHANGE_URL: "У лаборатории не указан адрес обмена (exchange_url), а тестовая лаборатория выключена",
    NO_EXTERNAL_ID: "В ответе лаборатории нет номера заказа (external_id)",
    RESULTS_UNREADABLE: "Результаты лаборатории не удалось прочитать",
}


def _said(words: str) -> str:
    return f": {words}" if words.strip() else ""


_RULES: list[Rule] = [
    (
        re.compile(r"the lab answered HTTP (\d+) to the cancellation"),
        lambda m: f"Лаборатория ответила на отмену ошибкой HTTP {m[1]}",
    ),
    (re.compile(r"the lab answered HTTP (\d+)"), lambda m: f"Лаборатория ответила ошибкой HTTP {m[1]}"),
    (
        re.compile(r"the lab's exchange address was refused by the outbound address policy: (.+)", re.S),
        lambda m: f"Адрес обмена лаборатории запрещён правилами исходящих соединений платформы: {m[1]}",
    ),
    (
        re.compile(re.escape(RESULTS_REFUSED) + r"(.+)", re.S),
        lambda m: f"Результаты лаборатории не приняты: {translate(m[1], 'ru')}",
    ),
    # No answer: "<httpx exception name>: <its text>" (ConnectError, ReadTimeout, …).
    (re.compile(r"([A-Za-z_]\w*): (.*)", re.S), lambda m: f"Нет связи с лабораторией ({m[1]})" + _said(m[2])),
]


def error_text(error: str | None) -> str | None:
    """The Russian text of a delivery's `last_error`; None when there is none."""
    return shared_error_text(error, reasons=REASONS, rules=_RULES, fallback="Ошибка обмена с лабораторией: {error}")
