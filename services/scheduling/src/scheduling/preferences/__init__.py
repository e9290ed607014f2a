"""Scheduling settings the clinic edits at run time: `GET|PUT /settings`."""
