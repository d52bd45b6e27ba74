"""Fetching a media URL (only when enabled): http(s) only, size and redirect limits, errors as FetchError."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from mock_symbl.media.fetch import FetchError, check_url, fetch_to_file
from mock_symbl.media.synth import make_wav
from tests.webhooks.receiver import Receiver, Route, running_receiver


@pytest.fixture
def server() -> Iterator[Receiver]:
    with running_receiver() as r:
        yield r


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.com/a.wav", True),
        ("http://127.0.0.1:9/a.mp3", True),
        ("file:///etc/passwd", False),
        ("ftp://example.com/a.wav", False),
        ("example.com/a.wav", False),
        ("https://", False),
        ("", False),
        (None, False),
    ],
)
def test_check_url(url: object, ok: bool) -> None:
    assert (check_url(url) is None) is ok


def test_fetch_streams_to_disk(server: Receiver, tmp_path: Path) -> None:
    data = make_wav(1)
    server.routes["/a.wav"] = Route(body=data, headers={"content-type": "audio/wav"})
    got = fetch_to_file(server.url + "/a.wav", path=tmp_path / "f", limit=10**6, timeout=5)
    assert got.path.read_bytes() == data
    assert got.sha256 == hashlib.sha256(data).hexdigest()
    assert got.declared_type == "audio/wav"


def test_fetch_follows_http_redirects_only(server: Receiver, tmp_path: Path) -> None:
    server.routes["/a.wav"] = Route(body=make_wav(1))
    server.routes["/r"] = Route(status=302, headers={"location": "/a.wav"})
    server.routes["/evil"] = Route(status=302, headers={"location": "file:///etc/passwd"})
    server.routes["/loop"] = Route(status=302, headers={"location": "/loop"})
    assert fetch_to_file(server.url + "/r", path=tmp_path / "f", limit=10**6, timeout=5).size > 0
    with pytest.raises(FetchError, match="Refused"):
        fetch_to_file(server.url + "/evil", path=tmp_path / "g", limit=10**6, timeout=5)
    with pytest.raises(FetchError, match="redirects"):
        fetch_to_file(server.url + "/loop", path=tmp_path / "h", limit=10**6, timeout=5)
    assert not (tmp_path / "g").exists() and not (tmp_path / "h").exists()


def test_fetch_failures(server: Receiver, tmp_path: Path) -> None:
    server.routes["/big"] = Route(body=b"x" * 5000)
    server.routes["/gone"] = Route(status=404)
    server.routes["/empty"] = Route(body=b"")
    server.routes["/slow"] = Route(body=b"x", delay=1.5)
    with pytest.raises(FetchError, match="larger"):
        fetch_to_file(server.url + "/big", path=tmp_path / "a", limit=1000, timeout=5)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_to_file(server.url + "/gone", path=tmp_path / "b", limit=1000, timeout=5)
    with pytest.raises(FetchError, match="empty"):
        fetch_to_file(server.url + "/empty", path=tmp_path / "c", limit=1000, timeout=5)
    with pytest.raises(FetchError, match="unreachable"):
        fetch_to_file(server.url + "/slow", path=tmp_path / "d", limit=1000, timeout=0.3)
    with pytest.raises(FetchError, match="unreachable"):
        fetch_to_file("http://127.0.0.1:9/x.wav", path=tmp_path / "e", limit=1000, timeout=2)
    assert list(tmp_path.iterdir()) == []
