"""Why a change did not reach ONDOC, in Russian for the staff reading the queue (OND-4, OND-6).

An outbound item's `last_error` (and a directory upload's) stays what the bridge wrote: a
stable text ("the patient is no longer attached", "ONDOC answered 401: …") that logs, metrics
and scripts match on, so it is never translated. The API shows `last_error_text` next to it:
the same reason as a clinic reads it. What ONDOC or the network said in its own words (ONDOC's
message, an exception's name) is kept after a Russian lead-in, so nothing is lost.
"""

from __future__ import annotations

import re

from clinic_shared.error_texts import Rule
from clinic_shared.error_texts import error_text as shared_error_text
from ondoc_bridge.appointments.rules import MOVED_AWAY_REASON

# Written by the bridge as they are (see outbound/worker.py, ondoc/http_adapter.py).
NOT_ATTACHED = "the patient is no longer attached"
FAKE_NOT_RUNNING = "the fake ONDOC is not running in this process (CLINIC_ONDOC_FAKE)"

REASONS: dict[str, str] = {
    NOT_ATTACHED: "Пациент больше не привязан к ONDOC: изменения ему не отправляются",
    FAKE_NOT_RUNNING: "Тестовый ONDOC не запущен в этом процессе (CLINIC_ONDOC_FAKE)",
    MOVED_AWAY_REASON: MOVED_AWAY_REASON,  # already Russian: it also goes to ONDOC as the reason
}

# The settings' fields as the settings screen names them ("ONDOC settings lack: server_url, …").
SETTINGS_FIELDS: dict[str, str] = {
    "server_url": "адрес сервера",
    "company_token": "токен компании",
    "branch_token": "токен филиала",
}


def _settings_fields(names: str) -> str:
    return ", ".join(SETTINGS_FIELDS.get(name.strip(), name.strip()) for name in names.split(","))


_RULES: list[Rule] = [
    (
        re.compile(r"ONDOC settings lack: (.+)", re.S),
        lambda m: f"В настройках ONDOC не заполнено: {_settings_fields(m[1])}",
    ),
    (re.compile(r"ONDOC answered (\d+): (.+)", re.S), lambda m: f"ONDOC ответил ошибкой {m[1]}: {m[2]}"),
    (re.compile(r"ONDOC did not answer within ([\d.]+) s"), lambda m: f"ONDOC не ответил за {m[1]} с"),
    (re.compile(r"ONDOC did not answer in time \((\w+)\)"), lambda m: f"ONDOC не ответил вовремя ({m[1]})"),
    (re.compile(r"ONDOC is unreachable \((\w+)\)"), lambda m: f"ONDOC недоступен: нет соединения ({m[1]})"),
    (
        re.compile(r"the ONDOC server address was refused by the outbound address policy: (.+)", re.S),
        lambda m: f"Адрес сервера ONDOC запрещён правилами исходящих соединений платформы: {m[1]}",
    ),
    (
        re.compile(r"the queued state cannot be sent: (.+)", re.S),
        lambda m: f"Изменение из очереди не отправить в ONDOC: данные не прошли проверку ({m[1]})",
    ),
    # An unexpected failure while sending: "<exception name>: <its text>".
    (
        re.compile(r"([A-Za-z_]\w*): (.*)", re.S),
        lambda m: f"Непредвиденная ошибка при отправке ({m[1]})" + (f": {m[2]}" if m[2].strip() else ""),
    ),
]


def error_text(error: str | None) -> str | None:
    """The Russian text of an outbound item's (or upload's) `last_error`; None when there is none."""
    return shared_error_text(error, reasons=REASONS, rules=_RULES, fallback="Не отправлено в ONDOC: {error}")
