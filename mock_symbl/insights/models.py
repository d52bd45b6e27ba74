"""The engine's input contract besides the messages themselves (mock_symbl.messages): what to look for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# confidenceThreshold: the default and the documented range (rest.md §12) of the minimum insight score kept.
DEFAULT_CONFIDENCE_THRESHOLD = 0.5
MIN_CONFIDENCE_THRESHOLD = 0.5
MAX_CONFIDENCE_THRESHOLD = 1.0


@dataclass(frozen=True)
class TrackerSpec:
    """A tracker to look for: from the request's `trackers` or the account's managed trackers."""

    name: str
    vocabulary: tuple[str, ...]
    id: str | None = None


@dataclass(frozen=True)
class CustomEntitySpec:
    """A custom entity: request `entities` ({customType, text}) or managed ({type, subType, values})."""

    type: str
    values: tuple[str, ...]
    sub_type: str | None = None
    category: str = "Custom"  # "Custom" for request/account entities, "Managed" for built-ins
    id: str | None = None


@dataclass(frozen=True)
class ScorecardSpec:
    """A call-score scorecard: criteria ids with names (managed `Symbl.*` or custom)."""

    id: str
    criteria: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class InsightOptions:
    """Everything about a job request that changes the insights."""

    conversation_id: str
    conversation_start: datetime
    confidence_threshold: float = DEFAULT_CONFIDENCE_THRESHOLD
    detect_phrases: bool = False
    detect_entities: bool = True
    enable_summary: bool = False
    language_code: str = "en-US"
    custom_vocabulary: tuple[str, ...] = ()
    trackers: tuple[TrackerSpec, ...] = ()
    custom_entities: tuple[CustomEntitySpec, ...] = ()
    scorecard: ScorecardSpec | None = None
    conversation_type: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
