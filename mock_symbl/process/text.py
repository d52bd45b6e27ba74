"""The `text` job processor: submitted messages become sentence-level message inputs."""

from __future__ import annotations

import json
from datetime import datetime

from mock_symbl.clock import parse_iso
from mock_symbl.insights.segment import split_sentences
from mock_symbl.jobs.service import JobFailed
from mock_symbl.messages import MessageInput
from mock_symbl.services import Services
from mock_symbl.store.tables import Conversation, Job


def _spread(sentences: list[str], start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Share a message's duration among its sentences in proportion to their word counts."""
    weights = [max(1, len(s.split())) for s in sentences]
    total = sum(weights)
    span = end - start
    out: list[tuple[datetime, datetime]] = []
    cursor = start
    for i, weight in enumerate(weights):
        stop = end if i == len(weights) - 1 else cursor + span * (weight / total)
        out.append((cursor, stop))
        cursor = stop
    return out


def text_processor(services: Services, job: Job, conv: Conversation) -> list[MessageInput]:
    request = json.loads(job.request_json)
    lines: list[MessageInput] = []
    for message in request.get("messages") or []:
        content = ((message.get("payload") or {}).get("content")) or ""
        sender = message.get("from") or {}
        sentences = split_sentences(content)
        if not sentences:
            continue
        times: list[tuple[datetime | None, datetime | None]] = [(None, None)] * len(sentences)
        duration = message.get("duration") or {}
        if duration.get("startTime") and duration.get("endTime"):
            try:
                start, end = parse_iso(duration["startTime"]), parse_iso(duration["endTime"])
            except ValueError as exc:
                raise JobFailed(f"Invalid duration: {exc}") from exc
            if end >= start:
                times = list(_spread(sentences, start, end))
        for sentence, (s_start, s_end) in zip(sentences, times, strict=True):
            lines.append(
                MessageInput(
                    text=sentence,
                    speaker_name=sender.get("name"),
                    speaker_email=sender.get("email"),
                    speaker_user_id=sender.get("userId") or sender.get("id"),
                    start=s_start,
                    end=s_end,
                )
            )
    return lines
