"""Storage errors the command line reports, importable without loading SQLAlchemy."""

from __future__ import annotations


class IncompatibleDatabase(RuntimeError):
    """The database file was not made by this version of mock-symbl."""
