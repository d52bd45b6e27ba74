"""mock-symbl: a self-hosted, deterministic emulator of the Symbl.ai API."""

__version__ = "0.1.0"
