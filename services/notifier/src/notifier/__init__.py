"""The notifier service: automatic SMS and Email (NOT-1 … NOT-8)."""
