"""Open a path as a recording, whichever format it is (sniffed from its content, not its name)."""

from __future__ import annotations

from pathlib import Path

from mock_symbl.replay.cassettes import Cassette
from mock_symbl.replay.documents import Folder, ZipFolder, json_recording, parse_json
from mock_symbl.replay.exchange import RecordingError
from mock_symbl.replay.plan import Recording

JSON_LIMIT = 256 * 1024 * 1024  # HAR, Polly and nock files are JSON documents, parsed whole


def _first_byte(path: Path) -> bytes:
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # a zip (or an empty one)
        return b"PK"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return stripped[:1]


def open_recording(path: Path, source: str | None = None) -> Recording:
    """A Folder, zip, cassette (vcrpy / go-vcr), HAR, Polly or nock recording; RecordingError otherwise."""
    name = source or str(path)
    if path.is_dir():
        return Folder(path, name)
    if not path.is_file():
        raise RecordingError(f"{name}: no such file or directory")
    first = _first_byte(path)
    if first == b"":
        raise RecordingError(f"{name}: the file is empty")
    if first == b"PK":
        return ZipFolder(path, name)
    if first in (b"{", b"["):
        if path.stat().st_size > JSON_LIMIT:
            raise RecordingError(f"{name}: JSON recordings over {JSON_LIMIT >> 20} MB are not read")
        data = parse_json(path.read_bytes(), name)
        recording = json_recording(data, name)
        if recording is not None:
            return recording
        if isinstance(data, dict) and "interactions" in data:
            return Cassette(path, name)  # a cassette serialized as JSON (vcrpy's json serializer)
        raise RecordingError(
            f"{name}: not a recording (a JSON document that is neither HAR, Polly.js, nock nor a cassette)"
        )
    return Cassette(path, name)
