"""The gateway's own rights and the default roles seeded on first start.

Each service declares its rights (`GET /_meta/rights`); a role lists rights or patterns
(`scheduling.*`, `*`). Later services extend the table simply by declaring theirs.
"""

from __future__ import annotations

RIGHTS = {
    "gateway.users": "Manage users and roles (only within the rights one holds oneself)",
    "gateway.audit": "Read the audit log of logins, users, roles, rights and sessions",
    "gateway.settings": "Change the platform settings: the clinic's time zone",
}
ADMIN_ROLE = "admin"

DEFAULT_ROLES: dict[str, tuple[str, list[str]]] = {
    ADMIN_ROLE: ("Clinic administrator: every right", ["*"]),
    "receptionist": (
        "Front desk: cards, appointments, waiting list, calls",
        [
            "patients.read",
            "patients.write",
            "patients.delete",
            "patients.discount_cards",
            "scheduling.read",
            "scheduling.write",
            "scheduling.delete",
            "scheduling.export",
            "scheduling.schedules",
            "ondoc.read",
            "ondoc.attach",
            "notifier.read",
            "lab.read",
            "lab.create_order",
        ],
    ),
    "doctor": ("Doctor: own schedule, cards, lab results", ["patients.read", "scheduling.read", "lab.read"]),
    "lab_doctor": ("Lab doctor: orders and results of their lab", ["patients.read", "lab.read", "lab.results"]),
    "lab_admin": (
        "Laboratory administrator: labs, tests, links, settings",
        ["lab.*", "patients.read", "scheduling.read"],
    ),
    "profexam_manager": (
        "Occupational-health manager",
        ["patients.read", "patients.write", "profexam.*"],
    ),
}
