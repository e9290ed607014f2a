"""The patients projection: what scheduling knows about cards, fed by `patient.*` events."""
