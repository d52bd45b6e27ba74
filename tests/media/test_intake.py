"""Streaming an upload to disk: raw and multipart, size limit, empty body, partial files removed."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from mock_symbl.errors import BadRequest, PayloadTooLarge
from mock_symbl.media.intake import StoredUpload, store_upload
from mock_symbl.media.synth import make_wav


async def _chunks(data: bytes, size: int = 1000) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


def _store(tmp_path: Path, data: bytes, **kw: object) -> StoredUpload:
    args: dict[str, object] = {"content_type": "audio/wav", "content_length": None, "limit": 10**6}
    args.update(kw)
    return asyncio.run(store_upload(_chunks(data), directory=tmp_path, name="u.bin", **args))  # type: ignore[arg-type]


def test_raw_body_is_written_and_hashed(tmp_path: Path) -> None:
    data = make_wav(1)
    up = _store(tmp_path, data, content_type="audio/wav; rate=8000")
    assert up.path.read_bytes() == data
    assert up.sha256 == hashlib.sha256(data).hexdigest()
    assert up.size == len(data)
    assert up.head == data[:4096]
    assert up.declared_type == "audio/wav" and not up.from_part


def _multipart(parts: list[tuple[str, str | None, str | None, bytes]], boundary: str = "XyZ") -> bytes:
    out = b""
    for name, filename, ctype, body in parts:
        out += f"--{boundary}\r\n".encode()
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"Content-Disposition: {disp}\r\n".encode()
        if ctype:
            out += f"Content-Type: {ctype}\r\n".encode()
        out += b"\r\n" + body + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def test_multipart_file_part_is_extracted(tmp_path: Path) -> None:
    data = make_wav(1)
    body = _multipart([("name", None, None, b"ignored field"), ("file", "call.wav", "audio/wav", data)])
    up = _store(tmp_path, body, content_type="multipart/form-data; boundary=XyZ")
    assert up.path.read_bytes() == data
    assert up.from_part and up.filename == "call.wav" and up.declared_type == "audio/wav"
    assert up.sha256 == hashlib.sha256(data).hexdigest()


def test_multipart_without_file_part(tmp_path: Path) -> None:
    body = _multipart([("name", None, None, b"x")])
    with pytest.raises(BadRequest, match="no file part"):
        _store(tmp_path, body, content_type="multipart/form-data; boundary=XyZ")
    with pytest.raises(BadRequest, match="boundary"):
        _store(tmp_path, body, content_type="multipart/form-data")
    assert list(tmp_path.iterdir()) == []


def test_limit_by_content_length_and_by_stream(tmp_path: Path) -> None:
    with pytest.raises(PayloadTooLarge):
        _store(tmp_path, b"x" * 10, limit=5, content_length="10")
    with pytest.raises(PayloadTooLarge):
        _store(tmp_path, b"x" * 5000, limit=4000)  # no length announced: cut while streaming
    with pytest.raises(BadRequest, match="Content-Length"):
        _store(tmp_path, b"x", content_length="abc")
    assert list(tmp_path.iterdir()) == []  # nothing half-written stays behind


def test_empty_body(tmp_path: Path) -> None:
    with pytest.raises(BadRequest, match="empty"):
        _store(tmp_path, b"")
    assert list(tmp_path.iterdir()) == []


def test_a_multipart_boundary_past_70_characters_is_a_400() -> None:
    """RFC 2046 allows 1-70 characters; 1,000 used to crash the parser (500)."""
    from fastapi.testclient import TestClient

    from mock_symbl.app import create_app
    from tests.conftest import make_settings
    from tests.helpers import auth_headers

    with TestClient(create_app(make_settings())) as client:
        boundary = "b" * 1000
        body = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF\r\n--{boundary}--\r\n'
        response = client.post(
            "/v1/process/audio",
            content=body.encode(),
            headers={**auth_headers(client), "content-type": f"multipart/form-data; boundary={boundary}"},
        )
        assert response.status_code == 400, response.text
        assert "boundary" in response.json()["message"]
