"""Make small, valid media files without any codec (tests, the benchmark, demos).

The audio content is silence or a quiet tone: the mock never listens to it, it only reads the container.
"""

from __future__ import annotations

import io
import math
import struct
import wave
from collections.abc import Iterator
from pathlib import Path


def make_wav(seconds: float, *, rate: int = 8000, channels: int = 1, tone_hz: float | None = 440.0) -> bytes:
    """A 16-bit PCM WAV of `seconds` (a quiet sine tone, or silence with tone_hz=None)."""
    frames = int(seconds * rate)
    if tone_hz:
        period = max(1, int(rate / tone_hz))
        cycle = b"".join(
            struct.pack("<h", int(3000 * math.sin(2 * math.pi * i / period))) * channels
            for i in range(period)
        )
        pcm = (cycle * (frames // period + 1))[: frames * 2 * channels]
    else:
        pcm = bytes(frames * 2 * channels)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)
    return buf.getvalue()


def wav_stream(
    total_bytes: int, *, rate: int = 48000, channels: int = 2, chunk: int = 1 << 20
) -> Iterator[bytes]:
    """A WAV of about `total_bytes`, produced chunk by chunk (for uploads too big to build in memory)."""
    data_size = max(0, total_bytes - 44) // (2 * channels) * (2 * channels)
    byte_rate = rate * 2 * channels
    yield (
        b"RIFF"
        + struct.pack("<I", 36 + data_size)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, channels, rate, byte_rate, 2 * channels, 16)
        + b"data"
        + struct.pack("<I", data_size)
    )
    block = bytes(chunk)
    sent = 0
    while sent < data_size:
        n = min(chunk, data_size - sent)
        yield block if n == chunk else block[:n]
        sent += n


# MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, mono, no CRC: 417-byte frames of 1152 samples.
_MP3_HEADER = bytes([0xFF, 0xFB, 0x90, 0xC4])
_MP3_FRAME = _MP3_HEADER + bytes(417 - 4)


def make_mp3(seconds: float, *, id3: bool = True) -> bytes:
    """A constant-bitrate MP3 of `seconds` made of silent frames (optionally behind an ID3v2 tag)."""
    frames = max(1, round(seconds * 44100 / 1152))
    tag = b""
    if id3:
        title = b"mock-symbl test"
        frame = b"TIT2" + struct.pack(">I", len(title) + 1) + b"\x00\x00" + b"\x03" + title
        tag = b"ID3\x04\x00\x00" + bytes([0, 0, 0, len(frame)]) + frame
    return tag + _MP3_FRAME * frames


def make_flac(seconds: float, *, rate: int = 16000, channels: int = 1) -> bytes:
    """A FLAC stream header (STREAMINFO only, no frames): enough for readers that take the length from it."""
    samples = int(seconds * rate)
    bits = (rate << 44) | ((channels - 1) << 41) | ((16 - 1) << 36) | samples
    info = struct.pack(">HH", 4096, 4096) + bytes(6) + bits.to_bytes(8, "big") + bytes(16)
    return b"fLaC" + bytes([0x80]) + len(info).to_bytes(3, "big") + info


def _box(kind: bytes, *payload: bytes) -> bytes:
    body = b"".join(payload)
    return struct.pack(">I", 8 + len(body)) + kind + body


def _full(kind: bytes, version: int, *payload: bytes) -> bytes:
    return _box(kind, bytes([version, 0, 0, 0]), *payload)


def make_mp4(seconds: float, *, brand: bytes = b"isom", audio: bool = False, mdat_bytes: int = 1024) -> bytes:
    """A minimal ISO-BMFF file (ftyp, moov with one video or audio track, mdat) lasting `seconds`."""
    timescale = 1000
    duration = int(seconds * timescale)
    mvhd = _full(
        b"mvhd",
        0,
        struct.pack(">IIII", 0, 0, timescale, duration),
        struct.pack(">IH", 0x00010000, 0x0100),
        bytes(10),
        struct.pack(">9I", 0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000),
        bytes(24),
        struct.pack(">I", 2),
    )
    tkhd = _full(b"tkhd", 0, struct.pack(">IIIII", 0, 0, 1, 0, duration), bytes(60))
    mdhd = _full(b"mdhd", 0, struct.pack(">IIII", 0, 0, timescale, duration), struct.pack(">HH", 0x55C4, 0))
    handler = b"soun" if audio else b"vide"
    hdlr = _full(b"hdlr", 0, bytes(4), handler, bytes(12), b"mock\x00")
    stbl = _box(b"stbl", _full(b"stsd", 0, struct.pack(">I", 0)))
    minf = _box(b"minf", stbl)
    trak = _box(b"trak", tkhd, _box(b"mdia", mdhd, hdlr, minf))
    ftyp = _box(b"ftyp", brand, struct.pack(">I", 0x200), brand, b"mp41")
    return ftyp + _box(b"moov", mvhd, trak) + _box(b"mdat", bytes(mdat_bytes))


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
