"""Scheduling settings the clinic edits at run time (`GET|PUT /settings`) and each user's own
calendar view (`GET|PUT /settings/my-calendar-view`, SCH-19)."""
