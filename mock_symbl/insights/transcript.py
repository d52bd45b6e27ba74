"""Formatted transcript (POST .../transcript): markdown with paragraphs, speakers and <mark>, or SRT."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import srt

from mock_symbl.messages import Message

MARKDOWN = "text/markdown"
SRT = "text/srt"
CONTENT_TYPES = (MARKDOWN, SRT)
BLOCK_SEPARATOR = "<br/><br/>"


def _speaker(message: Message) -> str:
    return (message.speaker.name if message.speaker and message.speaker.name else None) or "Unknown Speaker"


def key_phrases(bundle: Mapping[str, Any], *, only_insights: bool, all_phrases: bool) -> list[str]:
    """Phrases to highlight: insight action phrases (+ topic texts when highlighting all)."""
    if not (only_insights or all_phrases):
        return []
    found: list[str] = []
    for facts in (bundle.get("messages") or {}).values():
        found.extend(facts.get("phrases", []))
    if all_phrases:
        found.extend(t["text"] for t in bundle.get("topics") or [])
    # Longest first so a phrase inside another is not marked twice.
    return sorted({p for p in found if p.strip()}, key=lambda p: (-len(p), p))


def _highlight(text: str, phrases: Sequence[str]) -> str:
    if not phrases:
        return text
    pattern = re.compile("|".join(r"(?<!\w)" + re.escape(p) + r"(?!\w)" for p in phrases), re.IGNORECASE)
    return pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", text)


def markdown(
    messages: Sequence[Message],
    *,
    create_paragraphs: bool = False,
    show_speaker_separation: bool = False,
    phrases: Sequence[str] = (),
) -> str:
    """Blocks separated by <br/><br/>: one per message, or one per speaker turn with createParagraphs."""
    blocks: list[tuple[str, list[str]]] = []
    for message in messages:
        speaker = _speaker(message)
        text = _highlight(message.text, phrases)
        if create_paragraphs and blocks and blocks[-1][0] == speaker:
            blocks[-1][1].append(text)
        else:
            blocks.append((speaker, [text]))
    rendered = []
    for speaker, texts in blocks:
        body = " ".join(texts)
        rendered.append(f"{speaker}: {body}" if show_speaker_separation else body)
    return BLOCK_SEPARATOR.join(rendered)


def subrip(messages: Sequence[Message], *, show_speaker_separation: bool = False) -> str:
    """Valid SRT (HH:MM:SS,mmm), one cue per message, timed by timeOffset and duration."""
    cues = []
    for i, message in enumerate(messages, start=1):
        start = timedelta(seconds=max(0.0, message.time_offset))
        end = start + timedelta(seconds=max(0.001, message.duration))
        content = f"{_speaker(message)}: {message.text}" if show_speaker_separation else message.text
        cues.append(srt.Subtitle(index=i, start=start, end=end, content=content))
    return str(srt.compose(cues, reindex=False))
