"""ONDOC integration settings stored in the database and edited through the API (OND-1)."""
