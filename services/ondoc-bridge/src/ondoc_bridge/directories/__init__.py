"""Directories uploaded to ONDOC and the hand-made mapping of our items to ONDOC items (OND-8)."""
