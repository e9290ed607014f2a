"""Talking to ONDOC: the contract we assume, the port, its HTTP adapter."""
