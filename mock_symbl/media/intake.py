"""Stream an upload (raw body or one multipart file part) to disk with a size limit, hashing as it goes.

Nothing here holds the whole body in memory: chunks are written as they arrive, the first few KiB are kept
for sniffing, and a body over the limit is cut off with 413 and its partial file removed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from mock_symbl.errors import BadRequest, PayloadTooLarge
from mock_symbl.media.sniff import SNIFF_BYTES, media_type


@dataclass(frozen=True)
class StoredUpload:
    """An upload on disk: where, how big, its sha256, first bytes and the media type the client declared."""

    path: Path
    size: int
    sha256: str
    head: bytes
    declared_type: str  # bare media type of the body, or of the file part for multipart
    from_part: bool  # True when it came from a multipart file part
    filename: str | None = None


class _Sink:
    """Writes bytes to a file, counting, hashing and keeping the head; raises 413 past the limit."""

    def __init__(self, f: BinaryIO, limit: int) -> None:
        self.f = f
        self.limit = limit
        self.size = 0
        self.digest = hashlib.sha256()
        self.head = bytearray()

    def write(self, data: bytes | memoryview) -> None:
        if not data:
            return
        self.size += len(data)
        if self.size > self.limit:
            raise PayloadTooLarge(f"The media is larger than the {self.limit} bytes this server accepts.")
        if len(self.head) < SNIFF_BYTES:
            self.head += bytes(data[: SNIFF_BYTES - len(self.head)])
        self.digest.update(data)
        self.f.write(data)


class _MultipartFile:
    """Feeds a multipart body to python-multipart and sends the first file part to a `_Sink`."""

    def __init__(self, boundary: bytes, sink: _Sink) -> None:
        self.sink = sink
        self.headers: dict[str, str] = {}
        self._field = bytearray()
        self._value = bytearray()
        self.current_is_target = False
        self.found = False
        self.done_target = False
        self.part_type = ""
        self.filename: str | None = None
        callbacks: Any = {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }
        self.parser = MultipartParser(boundary, callbacks)

    def _part_begin(self) -> None:
        self.headers = {}
        self.current_is_target = False

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self.headers[self._field.decode("latin-1").strip().lower()] = self._value.decode("latin-1").strip()
        self._field.clear()
        self._value.clear()

    def _headers_finished(self) -> None:
        _, params = parse_options_header(self.headers.get("content-disposition", ""))
        filename = params.get(b"filename")
        # The media is the first part that is a file (has a filename), else the first part with a type.
        if not self.done_target and (filename is not None or "content-type" in self.headers):
            self.current_is_target = True
            self.found = True
            self.part_type = media_type(self.headers.get("content-type"))
            self.filename = filename.decode("utf-8", "replace") if filename is not None else None

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self.current_is_target:
            self.sink.write(memoryview(data)[start:end])

    def _part_end(self) -> None:
        if self.current_is_target:
            self.done_target = True
            self.current_is_target = False

    def write(self, chunk: bytes) -> None:
        try:
            self.parser.write(chunk)
        except FormParserError as exc:
            raise BadRequest(f"Malformed multipart body: {exc}") from None

    def finish(self) -> None:
        try:
            self.parser.finalize()
        except FormParserError as exc:
            raise BadRequest(f"Malformed multipart body: {exc}") from None
        if not self.found:
            raise BadRequest("The multipart body has no file part.")


MAX_BOUNDARY = 70


async def store_upload(
    chunks: AsyncIterator[bytes],
    *,
    directory: Path,
    name: str,
    content_type: str | None,
    content_length: str | None,
    limit: int,
    on_progress: Callable[[int], None] | None = None,
) -> StoredUpload:
    """Write the request body to `directory/name`; the caller deletes the file when done with it."""
    if content_length is not None:
        try:
            announced = int(content_length)
        except ValueError:
            raise BadRequest("Invalid Content-Length header.") from None
        if announced > limit:
            # Refuse before reading a byte: the client learns at once (and nothing is written).
            raise PayloadTooLarge(f"The media is larger than the {limit} bytes this server accepts.")
    declared = media_type(content_type)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    multipart: _MultipartFile | None = None
    try:
        with path.open("wb") as f:
            sink = _Sink(f, limit)
            if declared == "multipart/form-data":
                _, params = parse_options_header(content_type or "")
                boundary = params.get(b"boundary")
                if not boundary:
                    raise BadRequest("multipart/form-data without a boundary.")
                if len(boundary) > MAX_BOUNDARY:  # RFC 2046 5.1.1; the parser fails on longer ones
                    raise BadRequest(f"The multipart boundary must be 1 to {MAX_BOUNDARY} characters.")
                multipart = _MultipartFile(boundary, sink)
            seen = 0
            async for chunk in chunks:
                seen += len(chunk)
                if multipart is not None:
                    if seen > limit + 64 * 1024:  # headers and boundaries may add a little
                        raise PayloadTooLarge(
                            f"The media is larger than the {limit} bytes this server accepts."
                        )
                    multipart.write(chunk)
                else:
                    sink.write(chunk)
                if on_progress is not None:
                    on_progress(seen)
            if multipart is not None:
                multipart.finish()
    except BaseException:
        _remove(path)
        raise
    if sink.size == 0:
        _remove(path)
        raise BadRequest("The request body is empty: send the media bytes.")
    if multipart is not None:
        return StoredUpload(
            path,
            sink.size,
            sink.digest.hexdigest(),
            bytes(sink.head),
            multipart.part_type,
            True,
            multipart.filename,
        )
    return StoredUpload(path, sink.size, sink.digest.hexdigest(), bytes(sink.head), declared, False)


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
