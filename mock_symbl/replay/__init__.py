"""Recorded Symbl traffic (cassettes, HAR, nock, folders): PURE parsing, planning and export writing.

No fastapi, starlette, sqlmodel or settings here: `admin/replay.py` (the service) drives these functions
and `store/replay.py` writes what they plan.
"""
