"""Phones as the front desk uses them (SCH-17); normalisation itself is `clinic_shared.phones`."""

from __future__ import annotations


def with_country_code(digits: str | None) -> str | None:
    """'79229999999' → '+79229999999', ready to copy into a phone."""
    return f"+{digits}" if digits else None


def whatsapp_url(digits: str | None) -> str | None:
    """'79229999999' → 'https://wa.me/79229999999'."""
    return f"https://wa.me/{digits}" if digits else None
