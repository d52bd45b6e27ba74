"""Transcript fixtures: the library of realistic conversations used wherever no text was sent.

Layout of a fixtures directory (documented in fixtures/README.md):
- `transcripts/*.json`: the library, one conversation per file (schema `TranscriptFile`).
- `manifest.json` (optional): `{"media": [{"sha256" | "url": ..., "transcript": <name or relative .json path>}]}`
  registers a transcript for one exact recording.
- `media/<sha256>.json` (optional): a transcript file registered for the recording whose bytes hash to that name.

Everything is validated at load time; a bad file raises `FixtureError` naming the file and the problem.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

# Natural pacing used when a line has no timing and when fitting a transcript into short media.
WORDS_PER_SECOND = 2.6
MIN_LINE_SECONDS = 1.0
GAP_SECONDS = 0.5


class FixtureError(Exception):
    """A fixture file (or registration) is invalid; the message names the file and the problem."""


@dataclass(frozen=True)
class Line:
    """One spoken line; `start`/`end` are seconds from the start of the recording."""

    speaker: str
    email: str | None
    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Transcript:
    """A whole conversation; `duration` is the length of the recording it stands for (>= last end)."""

    name: str
    title: str
    lines: tuple[Line, ...]
    duration: float

    @property
    def speakers(self) -> tuple[str, ...]:
        """Speaker names in order of first appearance."""
        seen: dict[str, None] = {}
        for line in self.lines:
            seen.setdefault(line.speaker, None)
        return tuple(seen)


# --- file schema ---------------------------------------------------------------------------------------


class _SpeakerFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    email: str | None = None


class _LineFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    speaker: str = Field(min_length=1)
    text: str = Field(min_length=1)
    email: str | None = None
    start: float | None = Field(None, ge=0)
    end: float | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _both_or_none(self) -> _LineFile:
        if (self.start is None) != (self.end is None):
            raise ValueError("give both start and end, or neither")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        if not self.text.strip():
            raise ValueError("text must not be blank")
        return self


class TranscriptFile(BaseModel):
    """Schema of one `transcripts/*.json` file."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str = Field(min_length=1)
    language: str = "en-US"
    speakers: list[_SpeakerFile] = Field(default_factory=list)
    lines: list[_LineFile] = Field(min_length=1)
    duration: float | None = Field(None, gt=0)


class _ManifestEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sha256: str | None = Field(None, pattern=r"^[0-9a-fA-F]{64}$")
    url: str | None = Field(None, min_length=1)
    transcript: str = Field(min_length=1)

    @model_validator(mode="after")
    def _one_key(self) -> _ManifestEntry:
        if (self.sha256 is None) == (self.url is None):
            raise ValueError("each entry needs exactly one of sha256 or url")
        return self


class _Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    media: list[_ManifestEntry] = Field(default_factory=list)


def _natural_seconds(text: str) -> float:
    return max(MIN_LINE_SECONDS, len(text.split()) / WORDS_PER_SECOND)


def transcript_from_data(data: Any, *, source: str = "<data>") -> Transcript:
    """Validate one transcript document (a parsed JSON object) and build the `Transcript`."""
    try:
        doc = TranscriptFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise FixtureError(f"{source}: {where or 'document'}: {first.get('msg')}") from None
    emails = {s.name: s.email for s in doc.speakers}
    lines: list[Line] = []
    cursor = 0.0
    for index, raw in enumerate(doc.lines):
        if doc.speakers and raw.speaker not in emails:
            raise FixtureError(f"{source}: lines.{index}.speaker: {raw.speaker!r} is not in speakers")
        if raw.start is None or raw.end is None:
            start = cursor + (GAP_SECONDS if lines else 0.0)
            end = start + _natural_seconds(raw.text)
        else:
            start, end = raw.start, raw.end
            if lines and start < lines[-1].start:
                raise FixtureError(f"{source}: lines.{index}.start: lines must be in time order")
        email = raw.email if raw.email is not None else emails.get(raw.speaker)
        lines.append(Line(raw.speaker, email, raw.text.strip(), round(start, 3), round(end, 3)))
        cursor = end
    last_end = max(line.end for line in lines)
    duration = doc.duration if doc.duration is not None else last_end
    if duration < last_end:
        raise FixtureError(
            f"{source}: duration ({duration}) is shorter than the last line's end ({last_end})"
        )
    return Transcript(name=doc.name, title=doc.title, lines=tuple(lines), duration=round(duration, 3))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FixtureError(f"{path}: not readable JSON: {exc}") from None


def load_transcript_file(path: Path) -> Transcript:
    """Read and validate one transcript file."""
    return transcript_from_data(_read_json(path), source=str(path))


class TranscriptLibrary:
    """The loaded library plus registrations of transcripts for exact media (by sha256 or by url)."""

    def __init__(self, transcripts: dict[str, Transcript]) -> None:
        if not transcripts:
            raise FixtureError("the transcript library is empty")
        self._lock = threading.Lock()
        self._by_name = dict(transcripts)
        self._order = tuple(sorted(transcripts))  # choose() depends only on the set of names
        self._by_sha256: dict[str, Transcript] = {}
        self._by_url: dict[str, Transcript] = {}

    @classmethod
    def load(cls, directory: Path) -> TranscriptLibrary:
        """Load and validate `directory/transcripts/*.json`, `manifest.json` and `media/*.json`."""
        directory = Path(directory)
        folder = directory / "transcripts"
        if not folder.is_dir():
            raise FixtureError(f"{folder}: missing transcripts folder")
        transcripts: dict[str, Transcript] = {}
        for path in sorted(folder.glob("*.json")):
            transcript = load_transcript_file(path)
            if transcript.name != path.stem:
                raise FixtureError(f"{path}: name {transcript.name!r} must match the file name {path.stem!r}")
            transcripts[transcript.name] = transcript
        library = cls(transcripts)
        library._load_registrations(directory)
        return library

    def _load_registrations(self, directory: Path) -> None:
        manifest_path = directory / "manifest.json"
        if manifest_path.exists():
            try:
                manifest = _Manifest.model_validate(_read_json(manifest_path))
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first.get("loc", ()))
                raise FixtureError(f"{manifest_path}: {where}: {first.get('msg')}") from None
            for entry in manifest.media:
                transcript = self._resolve(directory, entry.transcript, manifest_path)
                self.register(transcript, sha256=entry.sha256, url=entry.url)
        media = directory / "media"
        if media.is_dir():
            for path in sorted(media.glob("*.json")):
                digest = path.stem.lower()
                if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
                    raise FixtureError(f"{path}: file name must be the sha256 hex digest of the media")
                self.register(load_transcript_file(path), sha256=digest)

    def _resolve(self, directory: Path, ref: str, manifest_path: Path) -> Transcript:
        if ref.endswith(".json"):
            path = (directory / ref).resolve()
            if not path.is_file():
                raise FixtureError(f"{manifest_path}: transcript file {ref!r} not found")
            return load_transcript_file(path)
        if ref not in self._by_name:
            raise FixtureError(
                f"{manifest_path}: unknown transcript {ref!r} (known: {', '.join(self._order)})"
            )
        return self._by_name[ref]

    # --- queries ---------------------------------------------------------------------------------------

    def names(self) -> tuple[str, ...]:
        return self._order

    def get(self, name: str) -> Transcript:
        """The library transcript called `name` (KeyError if unknown)."""
        return self._by_name[name]

    def find(self, name: str) -> Transcript | None:
        """A library transcript, else a registered one (e.g. a demo recording's `standup.audio`), by name."""
        if name in self._by_name:
            return self._by_name[name]
        with self._lock:
            registered = [*self._by_sha256.values(), *self._by_url.values()]
        return next((t for t in registered if t.name == name), None)

    def choose(self, key: str) -> Transcript:
        """A library transcript picked by sha256 of `key`: the same key always gives the same transcript."""
        digest = hashlib.sha256(key.encode("utf-8")).digest()
        return self._by_name[self._order[int.from_bytes(digest[:8], "big") % len(self._order)]]

    def registered_for_sha256(self, hexdigest: str) -> Transcript | None:
        with self._lock:
            return self._by_sha256.get(hexdigest.lower())

    def registered_for_url(self, url: str) -> Transcript | None:
        with self._lock:
            return self._by_url.get(url.strip())

    def registrations(self) -> list[dict[str, str]]:
        """Every registration as `{"sha256"|"url": ..., "transcript": name}` (for the control plane)."""
        with self._lock:
            out = [{"sha256": k, "transcript": t.name} for k, t in sorted(self._by_sha256.items())]
            out += [{"url": k, "transcript": t.name} for k, t in sorted(self._by_url.items())]
        return out

    # --- registration ----------------------------------------------------------------------------------

    def register(
        self, transcript: Transcript | str, *, sha256: str | None = None, url: str | None = None
    ) -> Transcript:
        """Register `transcript` (or a library name) for the media with this sha256 and/or this url."""
        if isinstance(transcript, str):
            if transcript not in self._by_name:
                raise FixtureError(f"unknown transcript {transcript!r}")
            transcript = self._by_name[transcript]
        if sha256 is None and url is None:
            raise FixtureError("register needs a sha256 or a url")
        with self._lock:
            if sha256 is not None:
                digest = sha256.strip().lower()
                if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
                    raise FixtureError(f"not a sha256 hex digest: {sha256!r}")
                self._by_sha256[digest] = transcript
            if url is not None:
                self._by_url[url.strip()] = transcript
        return transcript

    def unregister(self, *, sha256: str | None = None, url: str | None = None) -> None:
        with self._lock:
            if sha256 is not None:
                self._by_sha256.pop(sha256.strip().lower(), None)
            if url is not None:
                self._by_url.pop(url.strip(), None)


# --- timing ----------------------------------------------------------------------------------------------


def scale(transcript: Transcript, duration_seconds: float) -> Transcript:
    """Stretch or compress every timing linearly so the transcript lasts `duration_seconds`."""
    if duration_seconds <= 0 or transcript.duration <= 0:
        return transcript
    factor = duration_seconds / transcript.duration
    lines = tuple(
        replace(line, start=round(line.start * factor, 3), end=round(line.end * factor, 3))
        for line in transcript.lines
    )
    return replace(transcript, lines=lines, duration=round(duration_seconds, 3))


def fit(transcript: Transcript, duration_seconds: float) -> Transcript:
    """Fit a library transcript to a recording: keep the lines that fit at a natural pace, then scale.

    A 3-second clip cannot hold a 4-minute meeting, so short media keep a prefix (at least one line) and
    long media stretch the whole conversation (longer pauses between lines).
    """
    if duration_seconds <= 0:
        return transcript
    lines = transcript.lines
    if duration_seconds < transcript.duration:
        kept = [line for line in lines if line.end <= duration_seconds] or [lines[0]]
        lines = tuple(kept)
    natural = max(line.end for line in lines)
    trimmed = replace(transcript, lines=tuple(lines), duration=natural)
    return scale(trimmed, duration_seconds)
