"""Work schedules of doctors and cabinets (SCH-2)."""
