"""Transcript fixtures: the library used where no text was sent (media, streaming, telephony, demos)."""

from mock_symbl.transcripts.library import FixtureError, Line, Transcript, TranscriptLibrary, fit, scale

__all__ = ["FixtureError", "Line", "Transcript", "TranscriptLibrary", "fit", "scale"]
