"""Job processors for kinds audio, audio_url, video and video_url: media -> transcript -> message inputs.

The transcript of a recording is (1) the one registered for its bytes or URL, else (2) a library
transcript picked by hash and fitted to the media's duration; the request then rewrites it (custom
vocabulary, diarization, channels). Its lines continue the conversation's timeline, so appends follow the
last message whatever created the conversation.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from concurrent.futures import Future
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from mock_symbl.insights.segment import split_sentences
from mock_symbl.job_lifecycle import JobStatus
from mock_symbl.jobs.service import JobFailed
from mock_symbl.media.fetch import FetchError, fetch_to_file
from mock_symbl.media.probe import MediaError, probe
from mock_symbl.media.sniff import check_declared, sniff
from mock_symbl.messages import MessageInput
from mock_symbl.outbound.client import policy_for
from mock_symbl.process.fair_pool import FairPool
from mock_symbl.process.media_service import media_dir
from mock_symbl.services import Services
from mock_symbl.store.tables import Conversation, Job
from mock_symbl.transcripts.library import Transcript, TranscriptLibrary, fit
from mock_symbl.transcripts.transform import ChannelSpeaker, apply_custom_vocabulary, assign_channels, diarize

MEDIA_KINDS = ("audio", "audio_url", "video", "video_url")


def choose_transcript(
    library: TranscriptLibrary, *, sha256: str | None, url: str | None, duration: float | None
) -> Transcript:
    """Registered for these bytes or this URL, else a library pick fitted to the duration."""
    if url:
        registered = library.registered_for_url(url)
        if registered is not None:
            return registered
    if sha256:
        registered = library.registered_for_sha256(sha256)
        if registered is not None:
            return registered
    key = f"sha256:{sha256}" if sha256 else f"url:{(url or '').strip()}"
    picked = library.choose(key)
    return fit(picked, duration) if duration else picked


def apply_request(transcript: Transcript, request: dict[str, Any], *, channels: int) -> Transcript:
    """Rewrite the transcript as the request's recognition options would have shaped it."""
    vocabulary = request.get("customVocabulary") or []
    if vocabulary:
        transcript = apply_custom_vocabulary(transcript, [str(v) for v in vocabulary])
    if request.get("enableSpeakerDiarization"):  # diarization wins over per-channel (Symbl FAQ)
        return diarize(transcript, request.get("diarizationSpeakerCount"))
    if request.get("enableSeparateRecognitionPerChannel"):
        meta = [
            ChannelSpeaker(
                int(m["channel"]), (m.get("speaker") or {}).get("name"), (m.get("speaker") or {}).get("email")
            )
            for m in request.get("channelMetadata") or []
        ]
        return assign_channels(transcript, meta, max(channels, 2 if not meta else 1))
    return transcript


def _timeline_start(conv: Conversation) -> datetime:
    return conv.end_time if conv.message_count else conv.start_time


def to_inputs(transcript: Transcript, base: datetime) -> list[MessageInput]:
    """Sentence-level inputs: each line's span is shared among its sentences by word count."""
    out: list[MessageInput] = []
    for line in transcript.lines:
        sentences = split_sentences(line.text) or [line.text]
        weights = [max(1, len(s.split())) for s in sentences]
        total = sum(weights)
        cursor = line.start
        span = line.end - line.start
        for i, (sentence, weight) in enumerate(zip(sentences, weights, strict=True)):
            stop = line.end if i == len(sentences) - 1 else cursor + span * weight / total
            out.append(
                MessageInput(
                    text=sentence,
                    speaker_name=line.speaker,
                    speaker_email=line.email,
                    speaker_user_id=line.email,
                    start=base + timedelta(seconds=cursor),
                    end=base + timedelta(seconds=stop),
                )
            )
            cursor = stop
    return out


def file_processor(services: Services, job: Job, conv: Conversation) -> list[MessageInput]:
    """audio / video: the upload was read at submission; its facts are in the request."""
    request = json.loads(job.request_json)
    media = request.get("_media") or {}
    transcript = choose_transcript(
        services.transcripts, sha256=media.get("sha256"), url=None, duration=media.get("duration")
    )
    transcript = apply_request(transcript, request, channels=int(media.get("channels") or 1))
    return to_inputs(transcript, _timeline_start(conv))


def _fetch_facts(services: Services, job_id: str, url: str, *, video: bool) -> dict[str, Any]:
    settings = services.settings
    path = media_dir(services) / f"fetch-{job_id}.bin"
    try:
        fetched = fetch_to_file(
            url,
            path=path,
            limit=settings.max_upload_bytes,
            timeout=settings.fetch_timeout_seconds,
            policy=policy_for(services),
        )
    except FetchError as exc:
        raise JobFailed(str(exc)) from None
    try:
        kind = sniff(fetched.head)
        # Servers label media loosely; only the bytes decide (like Symbl's transcoder would).
        problem = check_declared("video/mp4" if video else "", kind, video=video)
        if problem:
            raise JobFailed(f"The media at the URL is not supported: {problem}")
        assert kind is not None
        info = probe(Path(fetched.path), kind)
    except MediaError as exc:
        raise JobFailed(f"The media at the URL cannot be processed: {exc}") from None
    finally:
        try:
            os.unlink(fetched.path)
        except FileNotFoundError:
            pass
    return {"sha256": fetched.sha256, "duration": info.duration, "channels": info.channels}


class Prefetcher:
    """Downloads a URL job's media in its own thread from the moment the job is submitted.

    Processing holds the job lock, which every other job waits on, so it must never wait for a download:
    `ready` tells the scheduler whether a job's facts are in (it steps the job only then, and tries again next
    tick otherwise), and `_facts_for` then finds them without blocking. Hanging URLs thus delay only their
    own jobs (each download ends at fetch_timeout_seconds), never another tenant's. Downloads run at most
    PER_ACCOUNT at a time per account (fair_pool.FairPool): an account's further downloads wait for its own,
    so a backlog of slow URLs never queues another account's download behind it.
    """

    WORKERS = 32  # download threads, all accounts together
    PER_ACCOUNT = 4

    def __init__(self) -> None:
        self._pool: FairPool | None = None
        self._futures: dict[str, Future[dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def listener(self, services: Services, job: Job, status: str) -> None:
        if status == JobStatus.SCHEDULED:
            self._start(services, job)

    def _start(self, services: Services, job: Job) -> Future[dict[str, Any]] | None:
        url = _fetched_url(services, job)
        if url is None:
            return None
        with self._lock:
            future = self._futures.get(job.id)
            if future is None:
                if self._pool is None:
                    self._pool = FairPool(workers=self.WORKERS, per_key=self.PER_ACCOUNT, name="media-fetch")
                fetch = partial(_fetch_facts, services, job.id, url, video=job.kind == "video_url")
                future = self._pool.submit(job.account, fetch)
                self._futures[job.id] = future
            return future

    def ready(self, services: Services, job: Job, wait: bool) -> bool:
        """Whether processing `job` would find its download finished (starting it if none is under way, e.g.
        after a restart); with `wait`, block until it is (outside the job lock: the caller holds none)."""
        future = self._start(services, job)
        if future is None:
            return True
        if wait:
            with contextlib.suppress(Exception):  # its error is raised again when the job takes it
                future.result(timeout=services.settings.fetch_timeout_seconds + 5)
        return future.done()

    def take(self, job_id: str) -> Future[dict[str, Any]] | None:
        with self._lock:
            return self._futures.pop(job_id, None)

    def stop(self, services: Services) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
            self._futures.clear()
        if pool is not None:
            pool.close()


def _fetched_url(services: Services, job: Job) -> str | None:
    """The URL a job downloads, or None when it downloads nothing (not a URL job, fetching off, registered)."""
    if job.kind not in ("audio_url", "video_url") or not services.settings.fetch_media_urls:
        return None
    url = str(json.loads(job.request_json).get("url") or "").strip()
    return None if services.transcripts.registered_for_url(url) is not None else url


def _facts_for(services: Services, job: Job, url: str) -> dict[str, Any]:
    prefetcher = services.prefetcher
    future = prefetcher.take(job.id) if prefetcher is not None else None
    if future is not None:
        # Every path here waited for the download outside the job lock first (Prefetcher.ready); one still
        # under way (or waiting behind its account's others) fails the job rather than hold the lock.
        if not future.done() or future.cancelled():  # (cancelled: the server is stopping)
            raise JobFailed("Fetching the media URL took too long.")
        return future.result()
    # No download under way (e.g. the server restarted since the job was submitted): fetch now.
    return _fetch_facts(services, job.id, url, video=job.kind == "video_url")


def url_ready(services: Services, job: Job, wait: bool) -> bool:
    """The `services.job_ready` hook of URL jobs (see Prefetcher)."""
    prefetcher = services.prefetcher
    return prefetcher is None or prefetcher.ready(services, job, wait)


def url_processor(services: Services, job: Job, conv: Conversation) -> list[MessageInput]:
    """audio_url / video_url: offline, the URL selects the transcript; with fetching on, the bytes do."""
    request = json.loads(job.request_json)
    url = str(request.get("url") or "").strip()
    library = services.transcripts
    channels = 1
    if services.settings.fetch_media_urls and library.registered_for_url(url) is None:
        facts = _facts_for(services, job, url)
        channels = facts["channels"]
        transcript = choose_transcript(library, sha256=facts["sha256"], url=url, duration=facts["duration"])
    else:
        transcript = choose_transcript(library, sha256=None, url=url, duration=None)
    transcript = apply_request(transcript, request, channels=channels)
    return to_inputs(transcript, _timeline_start(conv))


def register(services: Services) -> None:
    """Install the media processors and the webhook delivery (called once by the app factory)."""
    services.processors["audio"] = file_processor
    services.processors["video"] = file_processor
    services.processors["audio_url"] = url_processor
    services.processors["video_url"] = url_processor
    services.job_ready["audio_url"] = url_ready
    services.job_ready["video_url"] = url_ready
    prefetcher = Prefetcher()
    services.prefetcher = prefetcher
    services.job_listeners.append(prefetcher.listener)
    services.shutdown.append(prefetcher.stop)
    from mock_symbl.webhooks.delivery import install  # webhooks fire for every job kind, text included

    install(services)
