"""Read duration and channel count from a media file on disk (stdlib wave, mutagen for the rest)."""

from __future__ import annotations

import importlib
import struct
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

# Longest recording Symbl accepted (rest.md §11: 4 hours per file).
MAX_DURATION_SECONDS = 4 * 3600.0


class MediaError(Exception):
    """The bytes are not readable media of the expected kind; the message is safe to show to the client."""


@dataclass(frozen=True)
class MediaInfo:
    kind: str
    duration: float  # seconds
    channels: int
    sample_rate: int | None = None


@dataclass(frozen=True)
class _Riff:
    audio_format: int
    channels: int
    sample_rate: int
    byte_rate: int
    data_offset: int
    data_size: int


def _walk_riff(f: BinaryIO, size: int) -> _Riff:
    f.seek(12)
    fmt: tuple[int, int, int, int] | None = None
    while True:
        header = f.read(8)
        if len(header) < 8:
            raise MediaError("The WAV file has no data chunk (truncated?).")
        chunk_id, chunk_size = header[:4], struct.unpack("<I", header[4:])[0]
        start = f.tell()
        if chunk_id == b"fmt ":
            body = f.read(16)
            if len(body) < 16:
                raise MediaError("The WAV file's format chunk is truncated.")
            audio_format, channels, rate, byte_rate = struct.unpack("<HHII", body[:12])
            fmt = (audio_format, channels, rate, byte_rate)
        elif chunk_id == b"data":
            if fmt is None:
                raise MediaError("The WAV file has data before its format chunk.")
            available = size - start
            # Streaming writers leave the size 0 or 0xFFFFFFFF when they cannot seek back: take the rest.
            data_size = available if chunk_size in (0, 0xFFFFFFFF) else chunk_size
            if data_size > available:
                raise MediaError(
                    f"The WAV file is truncated: its header announces {data_size} bytes of audio, "
                    f"{available} are present."
                )
            return _Riff(*fmt, data_offset=start, data_size=data_size)
        f.seek(start + chunk_size + (chunk_size & 1))


def _probe_wav(path: Path) -> MediaInfo:
    size = path.stat().st_size
    with path.open("rb") as f:
        riff = _walk_riff(f, size)
    if riff.channels < 1 or riff.sample_rate < 1 or riff.byte_rate < 1:
        raise MediaError("The WAV file's format chunk is invalid.")
    if riff.audio_format == 1:
        # PCM: let the stdlib reader validate the header the way audio tools do.
        try:
            with wave.open(str(path), "rb") as w:
                frames, rate = w.getnframes(), w.getframerate()
                duration = min(frames, riff.data_size // max(1, w.getsampwidth() * w.getnchannels())) / rate
        except (wave.Error, EOFError, struct.error) as exc:
            raise MediaError(f"The WAV file cannot be read: {exc}.") from None
    else:
        duration = riff.data_size / riff.byte_rate  # compressed or float WAV: the byte rate is exact enough
    return MediaInfo("wav", duration, riff.channels, riff.sample_rate)


def _check_bmff_boxes(path: Path) -> None:
    """Top-level ISO-BMFF boxes must fit in the file; a cut upload fails here rather than mid-processing."""
    size = path.stat().st_size
    offset = 0
    seen: set[bytes] = set()
    with path.open("rb") as f:
        while offset < size:
            f.seek(offset)
            header = f.read(16)
            if len(header) < 8:
                raise MediaError("The MP4 file is truncated.")
            box_size, box_type = struct.unpack(">I4s", header[:8])
            if box_size == 1:
                if len(header) < 16:
                    raise MediaError("The MP4 file is truncated.")
                box_size = struct.unpack(">Q", header[8:16])[0]
            elif box_size == 0:
                box_size = size - offset
            if box_size < 8 or offset + box_size > size:
                raise MediaError(f"The MP4 file is truncated (box '{box_type.decode('latin-1')}' is cut).")
            seen.add(box_type)
            offset += box_size
    if b"moov" not in seen:
        raise MediaError("The MP4 file has no 'moov' box (not a complete MP4).")


# AMR-NB frame sizes (bytes after the 1-byte frame header) per frame type; every frame is 20 ms.
_AMR_NB = (12, 13, 15, 17, 19, 20, 26, 31, 5, 0, 0, 0, 0, 0, 0, 0)


def _probe_amr(path: Path) -> MediaInfo:
    frames = 0
    with path.open("rb") as f:
        if f.read(6) != b"#!AMR\n":
            raise MediaError("Only AMR-NB files are supported.")
        while True:
            header = f.read(1)
            if not header:
                break
            f.seek(_AMR_NB[(header[0] >> 3) & 0x0F], 1)
            frames += 1
    return MediaInfo("amr", frames * 0.02, 1, 8000)


# Formats mutagen reads, by sniffed kind (module, class); imported on first use (~12 ms of server start-up).
_MUTAGEN: dict[str, tuple[str, str]] = {
    "mp3": ("mutagen.mp3", "MP3"),
    "mp4": ("mutagen.mp4", "MP4"),
    "m4a": ("mutagen.mp4", "MP4"),
    "flac": ("mutagen.flac", "FLAC"),
    "aac": ("mutagen.aac", "AAC"),
    "ac3": ("mutagen.ac3", "AC3"),
    "aiff": ("mutagen.aiff", "AIFF"),
    "wma": ("mutagen.asf", "ASF"),
}


def _probe_mutagen(path: Path, kind: str) -> MediaInfo:
    import mutagen

    if kind in ("mp4", "m4a"):
        _check_bmff_boxes(path)
    try:
        if kind == "ogg":  # Ogg holds Vorbis, Opus or FLAC: let mutagen pick the right reader.
            parsed = mutagen.File(str(path))
        else:
            module, name = _MUTAGEN[kind]
            parsed = getattr(importlib.import_module(module), name)(str(path))
    except (mutagen.MutagenError, OSError, struct.error, ValueError, EOFError, IndexError) as exc:
        raise MediaError(f"The {kind.upper()} file cannot be read: {exc}.") from None
    if parsed is None or parsed.info is None:
        raise MediaError(f"The {kind.upper()} file cannot be read.")
    info = parsed.info
    channels = int(getattr(info, "channels", 0) or 1)
    rate = getattr(info, "sample_rate", None)
    return MediaInfo(kind, float(info.length or 0.0), channels, int(rate) if rate else None)


def probe(path: Path, kind: str) -> MediaInfo:
    """Duration and channels of `path`, known to be of `kind` (from `sniff`); MediaError if unreadable."""
    try:
        if kind == "wav":
            info = _probe_wav(path)
        elif kind == "amr":
            info = _probe_amr(path)
        elif kind in _MUTAGEN or kind == "ogg":
            info = _probe_mutagen(path, kind)
        else:
            raise MediaError(f"Unsupported media format {kind!r}.")
    except MediaError:
        raise
    except Exception as exc:  # a parser tripping on crafted bytes is the client's bad media, not a 500
        raise MediaError(f"The {kind.upper()} file cannot be read ({type(exc).__name__}).") from None
    if info.duration <= 0:
        raise MediaError("The media contains no audio (duration is 0 seconds).")
    if info.duration > MAX_DURATION_SECONDS:
        raise MediaError("The media is longer than 4 hours, the longest recording the API accepts.")
    return info
