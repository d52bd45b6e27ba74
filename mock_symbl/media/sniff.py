"""Recognise media from its first bytes and check a declared Content-Type against what Symbl documented."""

from __future__ import annotations

import struct

# Bytes needed by `sniff` (an MP3 may start with an ID3 tag; its size is read from the tag header).
SNIFF_BYTES = 4096

AUDIO_KINDS = frozenset({"wav", "mp3", "m4a", "ogg", "flac", "aac", "ac3", "aiff", "amr", "wma"})
VIDEO_KINDS = frozenset({"mp4"})

# Documented audio Content-Type values (rest.md §3.3, §11) and the formats each one stands for. Symbl
# validates a declared type; a missing or generic one means "detect the format".
AUDIO_CONTENT_TYPES: dict[str, frozenset[str]] = {
    "audio/wav": frozenset({"wav"}),
    "audio/wave": frozenset({"wav"}),
    "audio/mpeg": frozenset({"mp3"}),
    "audio/mp3": frozenset({"mp3"}),
}
VIDEO_CONTENT_TYPES: dict[str, frozenset[str]] = {"video/mp4": VIDEO_KINDS}
# Declared types that mean "unknown, look at the bytes" (the REST client's default, and empty headers).
# curl --data-binary sends application/x-www-form-urlencoded unless told otherwise.
GENERIC_CONTENT_TYPES = frozenset(
    {"", "application/octet-stream", "binary/octet-stream", "application/x-www-form-urlencoded"}
)

_AUDIO_MP4_BRANDS = (b"M4A ", b"M4B ", b"M4P ", b"F4A ")
_ASF_GUID = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")


def media_type(content_type: str | None) -> str:
    """The bare, lower-case media type of a Content-Type header (`audio/wav; rate=8000` -> `audio/wav`)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def _mp3_frame_header(head: bytes, offset: int) -> bool:
    if offset + 4 > len(head):
        return False
    b0, b1, b2 = head[offset], head[offset + 1], head[offset + 2]
    if b0 != 0xFF or (b1 & 0xE0) != 0xE0:
        return False
    version = (b1 >> 3) & 0x3
    layer = (b1 >> 1) & 0x3
    bitrate = b2 >> 4
    rate = (b2 >> 2) & 0x3
    # Layer bits 01 = Layer III; ADTS AAC has layer 00 and is recognised separately.
    return version != 1 and layer == 1 and bitrate not in (0, 15) and rate != 3


def sniff(head: bytes) -> str | None:
    """The media format of a body from its first bytes, or None when it is not a format Symbl accepts."""
    if len(head) < 4:
        return None
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "m4a" if brand in _AUDIO_MP4_BRANDS else "mp4"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:5] == b"#!AMR":
        return "amr"
    if head[:16] == _ASF_GUID:
        return "wma"
    if head[:3] == b"ID3" and len(head) >= 10:
        # Skip the ID3v2 tag (syncsafe size) and expect an MPEG audio frame after it.
        size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]
        after = 10 + size + (10 if head[5] & 0x10 else 0)
        if after + 4 > len(head):
            return "mp3"  # tag longer than what we looked at: trust it, the probe decides
        return "mp3" if _mp3_frame_header(head, after) else None
    if _mp3_frame_header(head, 0):
        return "mp3"
    if head[0] == 0xFF and (head[1] & 0xF6) == 0xF0:
        return "aac"  # ADTS sync word, layer 00
    if struct.unpack(">H", head[:2])[0] == 0x0B77:
        return "ac3"
    return None


def check_declared(declared: str, kind: str | None, *, video: bool, part: bool = False) -> str | None:
    """An error sentence when the declared type is not accepted or does not match the bytes, else None.

    `part` says the type came from a multipart file part, where clients often leave it generic.
    """
    if video:
        if declared not in VIDEO_CONTENT_TYPES and not (part and declared in GENERIC_CONTENT_TYPES):
            return f"Content-Type '{declared or '(none)'}' is not supported. Use video/mp4 (only MP4 is supported)."
        if kind not in VIDEO_KINDS:
            return "The request body is not an MP4 video."
        return None
    if declared in GENERIC_CONTENT_TYPES:
        # An MP4 container holding audio is fine for the audio routes (Symbl transcodes what it gets).
        if kind not in AUDIO_KINDS and kind not in VIDEO_KINDS:
            return "The request body is not audio in a supported format."
        return None
    allowed = AUDIO_CONTENT_TYPES.get(declared)
    if allowed is None:
        names = ", ".join(AUDIO_CONTENT_TYPES)
        return f"Content-Type '{declared}' is not supported. Use one of {names}, or omit it to auto-detect."
    if kind not in allowed:
        return f"The request body is not {declared} audio."
    return None
