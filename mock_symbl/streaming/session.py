"""One streaming (or telephony) session as a state machine: audio in, recognition results out, in order.

The session owns the *audio clock*: bytes of LINEAR16/MULAW become seconds by sample rate; compressed
encodings (Opus, FLAC) use the wall time between the first and the latest audio frame. Transcript lines whose end
the audio clock has passed are final; the line being spoken yields interim results word by word. The transcript
loops when the audio outlasts it. Nothing here does I/O: the router persists finals and sends what we return.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from mock_symbl.ids import stable_uuid
from mock_symbl.streaming import protocol, results
from mock_symbl.streaming.protocol import StartRequest, User, Word

State = Literal["idle", "started", "stopped"]
CYCLE_GAP_SECONDS = 1.0  # silence between two plays of a looped transcript
BYTES_PER_SAMPLE = {"LINEAR16": 2, "MULAW": 1}


class LineLike(Protocol):
    """transcripts.library.Line, structurally (this module does not import the library)."""

    @property
    def speaker(self) -> str: ...
    @property
    def email(self) -> str | None: ...
    @property
    def text(self) -> str: ...
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...


class TranscriptLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def lines(self) -> Sequence[LineLike]: ...
    @property
    def duration(self) -> float: ...


@dataclass(frozen=True)
class Result:
    """A recognition result (interim or final) of one transcript line."""

    seq: int  # index of the line in the conversation (0-based, counts loops)
    words: tuple[Word, ...]
    is_final: bool
    user: User | None
    speaker_name: str | None
    speaker_email: str | None
    text: str  # final: the whole line; interim: the words heard so far

    @property
    def start(self) -> float:
        return self.words[0].start if self.words else 0.0

    @property
    def end(self) -> float:
        return self.words[-1].end if self.words else 0.0

    def recognition_result(self) -> dict[str, Any]:
        return protocol.recognition_result(self.words, is_final=self.is_final, user=self.user)

    def transcript_response(self) -> dict[str, Any]:
        return protocol.transcript_response(self.text, is_final=self.is_final, user=self.user)


def split_words(text: str, start: float, end: float) -> tuple[Word, ...]:
    """Spread a line's duration over its words in proportion to their length (deterministic)."""
    tokens = text.split()
    if not tokens:
        return ()
    span = max(end - start, 0.0)
    weights = [len(t) + 1 for t in tokens]
    total = sum(weights)
    out, at = [], start
    for token, weight in zip(tokens, weights, strict=True):
        step = span * weight / total
        out.append(Word(token, round(at, 3), round(at + step, 3)))
        at += step
    return tuple(out)


def audio_seconds(nbytes: int, encoding: str, sample_rate: int) -> float:
    """Seconds of mono PCM audio in `nbytes` (0 for compressed encodings, timed by the wall clock instead)."""
    width = BYTES_PER_SAMPLE.get(encoding)
    return nbytes / (width * sample_rate) if width else 0.0


@dataclass
class _Cursor:
    seq: int = 0
    heard_words: int = 0  # words of line `seq` already sent as interim


@dataclass
class StreamSession:
    """State of one connection's recognition; `now` arguments are wall-clock seconds (only for Opus/FLAC)."""

    connection_id: str
    transcript: TranscriptLike
    loop: bool = True
    state: State = "idle"
    request: StartRequest = field(default_factory=StartRequest)
    conversation_id: str = ""
    conversation_start: datetime | None = None
    position: float = 0.0  # audio clock, seconds since start_request
    speaker_override: User | None = None  # telephony: the user of the last speaker event
    bytes_received: int = 0
    _cursor: _Cursor = field(default_factory=_Cursor)
    _first_audio_wall: float | None = None
    _wall_base: float = 0.0  # audio clock when the current format (or start) began
    _pcm_bytes: int = 0  # PCM bytes since then: seconds come from the byte count, not summed floats
    _sent: set[str] = field(default_factory=set)
    _sequence: dict[str, int] = field(default_factory=dict)

    # ------------------------------------------------------------ lifecycle
    def start(
        self, request: StartRequest, conversation_id: str, started_at: datetime
    ) -> list[dict[str, Any]]:
        """Begin (or, after a stop that kept the socket open, begin again): the three opening messages."""
        self.request = request
        self.state = "started"
        if conversation_id != self.conversation_id:
            self.conversation_id = conversation_id
            self.conversation_start = started_at
            self.position = 0.0
            self._cursor = _Cursor()
            self._sent.clear()
            self._sequence.clear()
        self._rebase()
        return [
            protocol.started_listening(),
            protocol.conversation_created(conversation_id),
            protocol.recognition_started(conversation_id),
        ]

    def modify(self, encoding: str | None, sample_rate: int | None) -> dict[str, Any]:
        """Apply a modify_request; later audio is converted with the new format."""
        changes: dict[str, Any] = {}
        if encoding:
            changes["encoding"] = encoding
        if sample_rate:
            changes["sample_rate"] = sample_rate
        if changes:
            self._rebase()
            self.request = replace(self.request, **changes)
        return protocol.session_modified(self.request.encoding, self.request.sample_rate)

    def stop(self) -> list[Result]:
        """End recognition: the line being spoken becomes final with the words heard so far."""
        if self.state != "started":
            return []
        self.state = "stopped"
        line = self._line(self._cursor.seq)
        if line is None:
            return []
        words = tuple(w for w in line[1] if w.start < self.position)
        if not words:
            return []
        self._cursor = _Cursor(self._cursor.seq + 1)
        return [self._result(self._cursor.seq - 1, line[0], words, final=True)]

    def closing_messages(self, summary_url: str) -> list[dict[str, Any]]:
        # conversation_completed must come first: JS legacy stop() waits for it and disconnects on recognition_stopped.
        return [
            protocol.conversation_completed(self.conversation_id, summary_url),
            protocol.recognition_stopped(self.conversation_id),
        ]

    # ------------------------------------------------------------ audio clock
    def _rebase(self) -> None:
        self._first_audio_wall = None
        self._wall_base = self.position
        self._pcm_bytes = 0

    def audio(self, nbytes: int, now: float) -> list[Result]:
        """Account for one binary frame; returns the results it makes due (ignored unless started)."""
        if self.state != "started" or nbytes <= 0:
            return []
        self.bytes_received += nbytes
        if audio_seconds(nbytes, self.request.encoding, self.request.sample_rate):
            # Summing per-frame floats drifts below exact frame boundaries (0.1 * 3 < 0.3), which would make a
            # word ending on a boundary wait for the next frame.
            self._pcm_bytes += nbytes
            seconds = audio_seconds(self._pcm_bytes, self.request.encoding, self.request.sample_rate)
            return self.advance_to(self._wall_base + seconds)
        if self._first_audio_wall is None:
            self._first_audio_wall = now
        return self.advance_to(self._wall_base + (now - self._first_audio_wall))

    def play_all(self) -> list[Result]:
        """Instant playback: every line of one pass of the transcript, final."""
        return self.advance_to(self.transcript.duration + 1e-6, loop=False)

    def advance_to(self, position: float, *, loop: bool | None = None) -> list[Result]:
        if self.state != "started":
            return []
        loop = self.loop if loop is None else loop
        self.position = max(self.position, position)
        out: list[Result] = []
        while True:
            cursor = self._cursor
            if not loop and cursor.seq >= len(self.transcript.lines):
                break
            line = self._line(cursor.seq)
            if line is None:
                break
            source, words = line
            if words and words[-1].end <= self.position:
                out.append(self._result(cursor.seq, source, words, final=True))
                self._cursor = _Cursor(cursor.seq + 1)
                continue
            heard = sum(1 for w in words if w.end <= self.position)
            if heard > cursor.heard_words and self.request.interim_results:
                out.append(self._result(cursor.seq, source, words[:heard], final=False))
                cursor.heard_words = heard
            break
        return out

    # ------------------------------------------------------------ lines
    def _line(self, seq: int) -> tuple[LineLike, tuple[Word, ...]] | None:
        lines = self.transcript.lines
        if not lines:
            return None
        cycle, index = divmod(seq, len(lines))
        offset = cycle * (self.transcript.duration + CYCLE_GAP_SECONDS)
        source = lines[index]
        return source, split_words(source.text, source.start + offset, source.end + offset)

    def user_for(self, line: LineLike) -> User:
        if self.speaker_override is not None:
            return self.speaker_override
        speaker = self.request.speaker
        if speaker is not None:  # one connection carries one speaker's audio
            return make_user(self.conversation_id, speaker.name, speaker.user_id)
        return make_user(self.conversation_id, line.speaker, line.email)

    def _result(self, seq: int, source: LineLike, words: tuple[Word, ...], *, final: bool) -> Result:
        user = self.user_for(source)
        text = (
            source.text
            if final and len(words) == len(source.text.split())
            else " ".join(w.word for w in words)
        )
        return Result(seq, words, final, user, user.name, user.user_id, text)

    # ------------------------------------------------------------ results after persistence
    def next_sequence(self, kind: str) -> int:
        value = self._sequence.get(kind, 0)
        self._sequence[kind] = value + 1
        return value

    def message_response(
        self,
        finals: Sequence[Result],
        message_ids: Sequence[str],
        sentiment: Callable[[str], float] | None = None,
    ) -> dict[str, Any]:
        """message_response for persisted finals (`message_ids` are the stored ids, same order)."""
        assert self.conversation_start is not None
        base = self.conversation_start
        entries = [
            protocol.stream_message(
                message_id=mid,
                text=r.text,
                user=r.user,
                words=r.words,
                start=base + timedelta(seconds=r.start),
                end=base + timedelta(seconds=r.end),
                conversation_start=base,
                timezone_offset=self.request.timezone_offset,
                sentiment=sentiment(r.text) if sentiment and self.request.sentiment else None,
            )
            for r, mid in zip(finals, message_ids, strict=True)
        ]
        return protocol.message_response(entries, self.next_sequence("message"))

    def insight_messages(
        self, bundle: Mapping[str, Any], message_index: Mapping[str, int]
    ) -> list[dict[str, Any]]:
        """The insight/topic/tracker/entity responses for what `bundle` has that was not sent yet."""
        fresh = results.new_items(bundle, self._sent, message_index)
        out: list[dict[str, Any]] = []
        wanted = set(self.request.insight_types)
        insights = [i for i in fresh.insights if i["type"] in wanted]
        if insights:
            out.append(protocol.insight_response(insights, self.next_sequence("insight")))
        if fresh.topics:
            out.append(protocol.topic_response(fresh.topics))
        if fresh.trackers:
            out.append(protocol.tracker_response(fresh.trackers, self.next_sequence("tracker")))
        if fresh.entities and self.request.detect_entities:
            out.append(protocol.entity_response(fresh.entities, self.next_sequence("entity")))
        return out


def make_user(conversation_id: str, name: str | None, user_id: str | None) -> User:
    # Same key as the store's members (userId, else name; trimmed, lower-case), so `from.id` is the member id.
    key = (user_id or name or "").strip().lower()
    return User(stable_uuid(conversation_id, "member", key), name, user_id)
