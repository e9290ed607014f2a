"""Appointments booked and cancelled from ONDOC, through scheduling (OND-5)."""
