"""9-digit codes a patient types in ONDOC to attach to the clinic (OND-2)."""
