"""Exports of scheduling data to files staff open elsewhere (Excel)."""
