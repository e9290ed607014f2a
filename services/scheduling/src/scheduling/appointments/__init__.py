"""Appointments (SCH-4 … SCH-11, SCH-15 … SCH-17)."""
