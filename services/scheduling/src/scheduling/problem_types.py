"""The scheduling problems a front end tells apart (`code`, `/problems/<code>`), registered once.

The booking screen reacts differently to a taken slot (offer the next free one), time outside
the working day or in a break (show the schedule) and a date out of the booking window; the
directories screen offers to deactivate an item in use, the schedule screen names the
appointments to move first.
"""

from __future__ import annotations

from clinic_shared.problems import ProblemType, register_problem_types

SLOT_TAKEN = "slot-taken"
OUTSIDE_WORKING_HOURS = "outside-working-hours"
IN_BREAK = "in-break"
SLOT_UNAVAILABLE = "slot-unavailable"
BOOKING_WINDOW = "booking-window"
OVERBOOK_NOT_ALLOWED = "overbook-not-allowed"
APPOINTMENT_DELETED = "appointment-deleted"
APPOINTMENT_NOT_DELETED = "appointment-not-deleted"
ALREADY_LINKED = "already-linked"
IN_USE = "in-use"
RESERVED_ITEM = "reserved-item"
SYSTEM_ITEM = "system-item"
DUPLICATE_VALUE = "duplicate-value"
LINK_EXISTS = "link-exists"
SCHEDULE_CONFLICT = "schedule-conflict"
SCHEDULE_EXISTS = "schedule-exists"

# The booking checks' reasons (`reason` in the problem) → the problem's code.
PLACEMENT_CODES = {
    "overlap": SLOT_TAKEN,
    "outside_working_hours": OUTSIDE_WORKING_HOURS,
    "in_break": IN_BREAK,
}

register_problem_types(
    ProblemType(
        SLOT_TAKEN,
        409,
        "Slot taken",
        "Время занято",
        "The time overlaps another appointment of the same doctor or cabinet (`conflicts` names them).",
    ),
    ProblemType(
        OUTSIDE_WORKING_HOURS,
        409,
        "Outside working hours",
        "Вне рабочего времени",
        "The doctor (or the cabinet, `cabinet_id`) does not work at that time or has no schedule that day.",
    ),
    ProblemType(
        IN_BREAK,
        409,
        "In a break",
        "Время перерыва",
        "The time falls into the doctor's (or the cabinet's) break.",
    ),
    ProblemType(
        SLOT_UNAVAILABLE,
        409,
        "Time unavailable",
        "Время недоступно",
        "The online widget: the time cannot be booked for another reason; choose another free slot.",
    ),
    ProblemType(
        BOOKING_WINDOW,
        422,
        "Outside the booking window",
        "Вне периода записи",
        "The date is further in the past or ahead than the settings allow to book.",
    ),
    ProblemType(
        OVERBOOK_NOT_ALLOWED,
        403,
        "Overbooking not allowed",
        "Запись сверх расписания запрещена",
        "Overbooking on purpose needs the right scheduling.overbook.",
    ),
    ProblemType(
        APPOINTMENT_DELETED,
        409,
        "Appointment in the trash",
        "Запись в корзине",
        "The appointment is in the trash: restore it before changing it.",
    ),
    ProblemType(
        APPOINTMENT_NOT_DELETED,
        409,
        "Appointment not in the trash",
        "Запись не в корзине",
        "Only an appointment in the trash can be restored.",
    ),
    ProblemType(
        ALREADY_LINKED,
        409,
        "Already linked to a card",
        "Запись уже привязана к карте",
        "The appointment's patient already has a card (`patient_id`).",
    ),
    ProblemType(
        IN_USE,
        409,
        "Item in use",
        "Элемент используется",
        "A directory item referred to by appointments, schedules or other items (`uses`): deactivate it instead.",
    ),
    ProblemType(
        RESERVED_ITEM,
        409,
        "Reserved item",
        "Зарезервированный элемент",
        "A reserved deletion reason (patients' own cancellations) cannot be deleted, renamed or deactivated.",
    ),
    ProblemType(
        SYSTEM_ITEM,
        409,
        "System item",
        "Системный элемент",
        "A system record type cannot be deleted: deactivate it instead.",
    ),
    ProblemType(
        DUPLICATE_VALUE,
        409,
        "Duplicate value",
        "Значение уже занято",
        "Another directory item already has this unique value (e.g. its code).",
    ),
    ProblemType(
        LINK_EXISTS,
        409,
        "Already offered online",
        "Услуга уже доступна онлайн",
        "The doctor is already linked to this service for online booking.",
    ),
    ProblemType(
        SCHEDULE_CONFLICT,
        409,
        "Appointments outside the schedule",
        "Записи вне расписания",
        "The schedule change would leave active appointments outside working time or in a break (`conflicts`).",
    ),
    ProblemType(
        SCHEDULE_EXISTS,
        409,
        "Schedule exists",
        "Расписание уже есть",
        "The doctor or cabinet already has a schedule that day: change it with PUT.",
    ),
)
