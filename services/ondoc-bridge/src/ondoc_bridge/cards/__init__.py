"""What the bridge knows of patient cards: a projection fed by patient.* events."""
