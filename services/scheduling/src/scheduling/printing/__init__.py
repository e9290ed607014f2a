"""Printable documents: appointment slips and doctors' day lists."""
