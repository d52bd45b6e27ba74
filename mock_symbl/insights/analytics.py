"""Talk time, listen time, silence, overlap and pace from the message timings (timeOffset + duration)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mock_symbl.insights.text import r3, words
from mock_symbl.messages import Message, Speaker

UNKNOWN = "unknown"


def _merge(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _length(intervals: Sequence[tuple[float, float]]) -> float:
    return sum(e - s for s, e in intervals)


def _pct(part: float, whole: float) -> float:
    return r3(100.0 * part / whole) if whole > 0 else 0.0


def _member_json(speaker: Speaker | None) -> dict[str, Any]:
    if speaker is None:
        return {"name": "Unknown Speaker"}
    out: dict[str, Any] = {"id": speaker.id, "name": speaker.name or ""}
    if speaker.user_id or speaker.email:
        out["userId"] = speaker.user_id or speaker.email
    return out


def compute_analytics(
    messages: Sequence[Message], word_counts_per_message: Sequence[int] | None = None
) -> dict[str, Any]:
    """`{"metrics": [...], "members": [...]}`; members in order of first message."""
    speakers: dict[str, Speaker | None] = {}
    raw: dict[str, list[tuple[float, float]]] = {}
    word_counts: dict[str, int] = {}
    counts = word_counts_per_message or [len(words(m.text)) for m in messages]
    for m, count in zip(messages, counts, strict=True):
        key = m.speaker.id if m.speaker else UNKNOWN
        speakers.setdefault(key, m.speaker)
        raw.setdefault(key, []).append((m.time_offset, m.time_offset + max(0.0, m.duration)))
        word_counts[key] = word_counts.get(key, 0) + count
    merged = {k: _merge(v) for k, v in raw.items()}
    span = max((e for v in merged.values() for _, e in v), default=0.0)
    total_talk = _length(_merge([iv for v in merged.values() for iv in v]))
    # Sweep over every member's merged intervals: segments with >= 2 active members are overlap.
    events = sorted((t, delta, k) for k, v in merged.items() for s, e in v for t, delta in ((s, 1), (e, -1)))
    # A member's merged intervals are disjoint, so "active" is a plain set; ends sort before starts at a tie.
    active: set[str] = set()
    overlap_total = 0.0
    member_overlap = dict.fromkeys(merged, 0.0)
    pair: dict[tuple[str, str], float] = {}
    previous = 0.0
    for time, delta, key in events:
        length = time - previous
        if length > 0 and len(active) >= 2:
            overlap_total += length
            for a in active:
                member_overlap[a] += length
                for b in active:
                    if a != b:
                        pair[(a, b)] = pair.get((a, b), 0.0) + length
        if delta > 0:
            active.add(key)
        else:
            active.discard(key)
        previous = time
    silence = max(0.0, span - total_talk)
    metrics = [
        {"type": "total_silence", "percent": _pct(silence, span), "seconds": r3(silence)},
        {"type": "total_talk_time", "percent": _pct(total_talk, span), "seconds": r3(total_talk)},
        {"type": "total_overlap", "percent": _pct(overlap_total, total_talk), "seconds": r3(overlap_total)},
    ]
    members = []
    for key, speaker in speakers.items():
        talk = _length(merged[key])
        talk_pct = _pct(talk, total_talk)
        overlapping = [
            {**_member_json(speakers[b]), "percent": _pct(seconds, talk), "seconds": r3(seconds)}
            for (a, b), seconds in sorted(pair.items())
            if a == key
        ]
        members.append(
            {
                **_member_json(speaker),
                "pace": {"wpm": round(word_counts[key] * 60.0 / talk) if talk > 0 else 0},
                "talkTime": {"percentage": talk_pct, "seconds": r3(talk)},
                "listenTime": {
                    "percentage": r3(100.0 - talk_pct) if total_talk > 0 else 0.0,
                    "seconds": r3(total_talk - talk),
                },
                "overlap": {"overlapDuration": r3(member_overlap[key]), "overlappingMembers": overlapping},
            }
        )
    return {"metrics": metrics, "members": members}
