"""ONDOC patient-portal bridge (OND-1 … OND-10)."""
