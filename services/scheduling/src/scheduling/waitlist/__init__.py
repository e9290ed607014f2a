"""The waiting list (SCH-7)."""
