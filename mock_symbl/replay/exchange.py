"""One recorded HTTP exchange, whatever the recording format, and the decoding of its bodies."""

from __future__ import annotations

import base64
import binascii
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# No recorded answer is this big; a compressed body inflating past it is a zip bomb, not a Symbl answer.
MAX_BODY_BYTES = 64 * 1024 * 1024


class RecordingError(Exception):
    """A file that is not a readable recording (malformed, truncated, unknown format)."""


@dataclass(frozen=True)
class Exchange:
    """A request and its recorded answer; `where` locates it in its file for the report."""

    method: str
    url: str
    status: int
    request_body: str | None
    response_body: str | None
    where: str


def header_value(headers: Any, name: str) -> str | None:
    """A header from any recording's header shape: {k: v}, {k: [v]}, [{name, value}] or nock's flat list."""
    wanted = name.lower()
    pairs: Iterable[tuple[Any, Any]] = ()
    if isinstance(headers, Mapping):
        pairs = headers.items()
    elif isinstance(headers, list) and headers and all(isinstance(h, Mapping) for h in headers):
        pairs = ((h.get("name"), h.get("value")) for h in headers)
    elif isinstance(headers, list):  # nock rawHeaders: [name, value, name, value, ...]
        pairs = zip(headers[::2], headers[1::2], strict=False)
    for key, value in pairs:
        if isinstance(key, str) and key.lower() == wanted:
            if isinstance(value, list):
                value = value[0] if value else None
            return None if value is None else str(value)
    return None


def decode_body(raw: Any, encoding: str | None = None) -> str | None:
    """Body bytes or text as text, undoing gzip/deflate (vcrpy keeps compressed bodies as !!binary)."""
    if raw is None:
        return None
    if isinstance(raw, str):
        if not encoding:
            return raw
        raw = raw.encode("latin-1", errors="replace")
    if not isinstance(raw, bytes | bytearray):
        raise RecordingError(f"a body must be text or bytes, not {type(raw).__name__}")
    data = bytes(raw)
    enc = (encoding or "").lower()
    if "gzip" in enc or "deflate" in enc or data[:2] == b"\x1f\x8b":
        data = _inflate(data)
    return data.decode("utf-8", errors="replace")


def _inflate(data: bytes) -> bytes:
    """gzip or zlib data inflated, never past MAX_BODY_BYTES."""
    try:
        inflater = zlib.decompressobj(wbits=47)  # 32 + 15: a gzip or zlib header, detected
        out = inflater.decompress(data, MAX_BODY_BYTES + 1)
    except zlib.error as exc:
        raise RecordingError(f"a compressed body cannot be decompressed ({exc})") from exc
    if len(out) > MAX_BODY_BYTES or inflater.unconsumed_tail:
        raise RecordingError(f"a compressed body inflates past {MAX_BODY_BYTES >> 20} MB")
    return out


def from_base64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise RecordingError(f"a base64 body cannot be decoded ({exc})") from exc


def from_hex_chunks(chunks: list[Any]) -> bytes:
    """nock's binary responses: a list of hex strings."""
    try:
        return b"".join(bytes.fromhex(str(c)) for c in chunks)
    except ValueError as exc:
        raise RecordingError(f"a hex-encoded body cannot be decoded ({exc})") from exc
