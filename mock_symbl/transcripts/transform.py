"""Request-driven rewrites of a chosen transcript: custom vocabulary, diarization, per-channel speakers."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from mock_symbl.transcripts.library import Line, Transcript

# A transcript word "fits" a vocabulary term when they are this similar once case and punctuation are ignored
# (what a recogniser biased towards the term would have produced instead).
VOCABULARY_SIMILARITY = 0.8

_TOKEN = re.compile(r"\S+")
_EDGE = re.compile(r"^([^\w]*)(.*?)([^\w]*)$", re.UNICODE)


def _norm(text: str) -> str:
    return re.sub(r"[^\w]", "", text.lower())


def _apply_term(text: str, term: str) -> str:
    size = len(term.split())
    target = _norm(term)
    if not size or len(target) < 3:
        return text
    tokens = list(_TOKEN.finditer(text))
    out: list[str] = []
    cursor = 0
    i = 0
    while i < len(tokens):
        # The spoken form may take one word more or less than the term ("North Wind" for "Northwind").
        best: tuple[float, int] = (0.0, 0)
        for n in range(max(1, size - 1), size + 2):
            if i + n > len(tokens):
                break
            core = _norm(" ".join(t.group() for t in tokens[i : i + n]))
            # recognisers rarely get the first sound wrong; this also avoids wild swaps
            if not core or core[0] != target[0] or abs(len(core) - len(target)) > max(2, len(target) // 5):
                continue
            ratio = difflib.SequenceMatcher(None, core, target).ratio()
            if ratio > best[0]:
                best = (ratio, n)
        if best[0] >= VOCABULARY_SIMILARITY:
            window = tokens[i : i + best[1]]
            first_edge = _EDGE.match(window[0].group())
            last_edge = _EDGE.match(window[-1].group())
            lead = first_edge.group(1) if first_edge else ""
            trail = last_edge.group(3) if last_edge else ""
            out.append(text[cursor : window[0].start()])
            out.append(lead + term + trail)
            cursor = window[-1].end()
            i += best[1]
            continue
        i += 1
    out.append(text[cursor:])
    return "".join(out)


def apply_custom_vocabulary(transcript: Transcript, terms: Sequence[str]) -> Transcript:
    """Spell each custom-vocabulary term exactly as given wherever a similar word or phrase was spoken."""
    cleaned = [t.strip() for t in terms if t and t.strip()]
    if not cleaned:
        return transcript
    # Longer terms first, so "Northwind Traders" wins over "Northwind".
    cleaned.sort(key=lambda t: (-len(t.split()), -len(t), t))
    lines = []
    for line in transcript.lines:
        text = line.text
        for term in cleaned:
            text = _apply_term(text, term)
        lines.append(replace(line, text=text) if text != line.text else line)
    return replace(transcript, lines=tuple(lines))


def diarize(transcript: Transcript, speaker_count: int | None = None) -> Transcript:
    """Replace real names with diarization labels `Speaker 1..N` (no emails: diarization cannot know them).

    With N smaller than the real speaker count, voices share labels; with N larger, a speaker's turns are
    spread over the spare labels so that every one of the N labels appears (the count is a hint the
    recogniser honours).
    """
    speakers = transcript.speakers
    count = len(speakers) if not speaker_count or speaker_count < 1 else speaker_count
    index = {name: i for i, name in enumerate(speakers)}
    rounds = -(-count // max(1, len(speakers)))
    seen: dict[str, int] = {}
    lines = []
    for line in transcript.lines:
        k = index[line.speaker]
        j = seen.get(line.speaker, 0)
        seen[line.speaker] = j + 1
        if count <= len(speakers):
            label = k % count
        else:
            label = k + len(speakers) * (j % rounds)
            if label >= count:
                label = k
        lines.append(replace(line, speaker=f"Speaker {label + 1}", email=None))
    return replace(transcript, lines=tuple(lines))


@dataclass(frozen=True)
class ChannelSpeaker:
    """One `channelMetadata` entry: channel number (1-based) and who speaks on it."""

    channel: int
    name: str | None
    email: str | None


def assign_channels(
    transcript: Transcript, channels: Sequence[ChannelSpeaker], channel_count: int
) -> Transcript:
    """Per-channel recognition: each real speaker is heard on one channel, named by `channelMetadata`."""
    count = max(1, channel_count, len(channels))
    by_channel = {c.channel: c for c in channels}
    speakers = transcript.speakers
    mapping: dict[str, tuple[str, str | None]] = {}
    for i, name in enumerate(speakers):
        channel = (i % count) + 1
        meta = by_channel.get(channel)
        if meta is None:
            mapping[name] = (f"Channel {channel}", None)
        else:
            mapping[name] = (meta.name or f"Channel {channel}", meta.email)
    lines: list[Line] = [
        replace(line, speaker=mapping[line.speaker][0], email=mapping[line.speaker][1])
        for line in transcript.lines
    ]
    return replace(transcript, lines=tuple(lines))
