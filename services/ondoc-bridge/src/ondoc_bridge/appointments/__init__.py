"""Appointments as the bridge knows them (appointment.* events) and what ONDOC must hear of them."""
