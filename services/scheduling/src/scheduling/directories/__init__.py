"""Directories (SCH-1): buildings, cabinets, doctors, price list, statuses and the rest."""
