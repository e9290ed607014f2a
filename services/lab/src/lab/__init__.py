"""The lab service: external laboratories, orders, labels, results and exchange (LAB-1 … LAB-8)."""
