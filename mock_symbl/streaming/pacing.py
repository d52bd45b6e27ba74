"""How fast a streaming client may send audio: a token bucket over seconds of audio (pure).

A client may send `burst` seconds of audio at once, then up to `speed` times real time. Audio beyond that is
not refused or dropped: the connection reads its next frame later, so TCP backpressure slows the sender.
This bounds what one connection can make the server do (results, storage, insights) and keeps eight clients
flooding audio as fast as their sockets allow from starving everything else on the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Compressed audio (Opus, FLAC, mulaw...) is timed by the wall clock, not by its bytes; for pacing, its
# bytes count as 16 kHz 16-bit PCM would (generous: compressed audio is 4-16 times smaller).
COMPRESSED_BYTES_PER_SECOND = 32_000


@dataclass
class AudioPacer:
    speed: float  # multiples of real time; 0 = unlimited
    burst: float  # seconds of audio accepted at once
    _credit: float = field(init=False)
    _last: float | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._credit = self.burst

    def delay(self, seconds: float, now: float) -> float:
        """Account for `seconds` of audio received at `now` (monotonic); the wait before reading more."""
        if self.speed <= 0 or seconds <= 0:
            return 0.0
        if self._last is not None:
            self._credit = min(self.burst, self._credit + (now - self._last) * self.speed)
        self._last = now
        self._credit -= seconds
        return 0.0 if self._credit >= 0 else -self._credit / self.speed
