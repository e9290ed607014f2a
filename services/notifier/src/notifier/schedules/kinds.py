"""The seven mailing-schedule types (NOT-3) and the built-in message kind for ONDOC codes (NOT-8)."""

from __future__ import annotations

from typing import Literal, get_args

ScheduleType = Literal[
    "days_before_appointment",
    "days_before_birthday",
    "minutes_before_appointment",
    "after_services",
    "after_status_change",
    "lab_result_ready",
    "discount_card_issued",
]
SCHEDULE_TYPES: tuple[str, ...] = get_args(ScheduleType)
Channel = Literal["sms", "email"]

# Messages about one appointment: they follow it when it moves and die with it.
APPOINTMENT_TYPES = frozenset(
    {"days_before_appointment", "minutes_before_appointment", "after_services", "after_status_change"}
)
# Reminders before the visit: pointless once the appointment has started.
REMINDER_TYPES = frozenset({"days_before_appointment", "minutes_before_appointment"})
# Planned from the clock and projections, not from one event: re-planned when the schedule changes.
STATE_PLANNED_TYPES = APPOINTMENT_TYPES | {"days_before_birthday"}

# Not a schedule type: the ONDOC attach code goes out with a built-in template (NOT-8).
ATTACH_CODE_KIND = "ondoc_attach_code"
MESSAGE_KINDS: tuple[str, ...] = (*SCHEDULE_TYPES, ATTACH_CODE_KIND)
