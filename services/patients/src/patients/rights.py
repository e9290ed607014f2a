"""Rights the patients service checks; the gateway grants them to roles."""

from __future__ import annotations

READ = "patients.read"
WRITE = "patients.write"
DELETE = "patients.delete"
SETTINGS = "patients.settings"
DISCOUNT_CARDS = "patients.discount_cards"
AUDIT = "patients.audit"

RIGHTS: dict[str, str] = {
    READ: "Find and read patient cards, their history, discount cards and the cards out of the archive",
    WRITE: "Create and edit patient cards; give paper cards out of the archive and take them back",
    DELETE: "Delete and restore patient cards",
    SETTINGS: "Change the card settings (required data, sex-by-patronymic dictionary)",
    DISCOUNT_CARDS: "Issue discount cards to patients",
    AUDIT: "Read the audit log of who read or changed patient data",
}
