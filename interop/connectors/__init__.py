"""Connectors: how a delivery reaches a partner (an interface, a stub backend and a real-protocol one each)."""
