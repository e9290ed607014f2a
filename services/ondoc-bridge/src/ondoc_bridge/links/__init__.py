"""Cards linked to ONDOC patients (OND-3, OND-7)."""
