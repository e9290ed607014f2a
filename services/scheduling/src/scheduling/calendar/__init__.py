"""The calendar view (SCH-3): schedules, breaks and appointments per date × doctor/cabinet."""
