"""Rights the patients service checks; the gateway grants them to roles."""

from __future__ import annotations

READ = "patients.read"
WRITE = "patients.write"
DELETE = "patients.delete"
SETTINGS = "patients.settings"
DISCOUNT_CARDS = "patients.discount_cards"
AUDIT = "patients.audit"

RIGHTS: dict[str, str] = {
    READ: "Find and read patient cards, their history and discount cards",
    WRITE: "Create and edit patient cards",
    DELETE: "Delete and restore patient cards",
    SETTINGS: "Change the card settings (required data, sex-by-patronymic dictionary)",
    DISCOUNT_CARDS: "Issue discount cards to patients",
    AUDIT: "Read the audit log of who read or changed patient data",
}
