"""Tracker matching: exact vocabulary phrases (with their offset) and other inflections (offset -1)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mock_symbl.ids import stable_numeric_id
from mock_symbl.insights.index import MessageIndex
from mock_symbl.insights.models import TrackerSpec
from mock_symbl.insights.text import find_phrase, stem, words


def _contiguous(needle: Sequence[str], hay: Sequence[str]) -> bool:
    n = len(needle)
    return any(hay[i : i + n] == needle for i in range(len(hay) - n + 1))


def match_trackers(
    conversation_id: str,
    specs: Sequence[TrackerSpec],
    index: MessageIndex,
    insights_by_message: Mapping[str, Sequence[Mapping[str, Any]]],
) -> list[dict[str, Any]]:
    """Every tracker with at least one match, in request order; each vocabulary term is one `matches` entry."""
    out: list[dict[str, Any]] = []
    seen_names: set[str] = set()
    for spec in specs:
        if spec.name in seen_names:  # request trackers win over managed ones with the same name
            continue
        seen_names.add(spec.name)
        matches = []
        for term in dict.fromkeys(v for v in spec.vocabulary if v and v.strip()):
            wanted = [stem(w) for w in words(term)]
            refs, insight_refs = [], []
            for position in index.positions(wanted) if wanted else ():
                message, stem_list = index.messages[position], index.stem_lists[position]
                offset = find_phrase(message.text, term)
                if offset < 0 and not _contiguous(wanted, stem_list):
                    continue
                refs.append({"id": message.id, "text": message.text, "offset": offset})
                for insight in insights_by_message.get(message.id, ()):
                    insight_refs.append(
                        {
                            "text": insight["text"],
                            "offset": offset,
                            "type": insight["type"],
                            "id": insight["id"],
                        }
                    )
            if refs:
                matches.append(
                    {"type": "vocabulary", "value": term, "messageRefs": refs, "insightRefs": insight_refs}
                )
        if matches:
            tracker_id = spec.id or stable_numeric_id(conversation_id, "tracker", spec.name)
            out.append({"id": tracker_id, "name": spec.name, "matches": matches})
    return out
