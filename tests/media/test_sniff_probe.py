"""Sniffing, declared Content-Type checks and duration probing on real media made here."""

from __future__ import annotations

from pathlib import Path

import pytest

from mock_symbl.media.probe import MediaError, probe
from mock_symbl.media.sniff import check_declared, media_type, sniff
from mock_symbl.media.synth import make_flac, make_mp3, make_mp4, make_wav


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (make_wav(1), "wav"),
        (make_mp3(1), "mp3"),
        (make_mp3(1, id3=False), "mp3"),
        (make_mp4(1), "mp4"),
        (make_mp4(1, brand=b"M4A ", audio=True), "m4a"),
        (b"OggS" + bytes(60), "ogg"),
        (b"fLaC" + bytes(60), "flac"),
        (b"#!AMR\n" + bytes(20), "amr"),
        (b"FORM\x00\x00\x00\x10AIFF" + bytes(20), "aiff"),
        (bytes([0xFF, 0xF1, 0x50, 0x80]) + bytes(20), "aac"),
        (b"hello world, not audio", None),
        (b'{"json": true}', None),
        (b"", None),
        (b"ID3\x04\x00\x00\x00\x00\x00\x05xxxxxnot an mpeg frame", None),
    ],
)
def test_sniff(data: bytes, kind: str | None) -> None:
    assert sniff(data[:4096]) == kind


@pytest.mark.parametrize(
    ("maker", "kind", "seconds", "channels"),
    [
        (lambda: make_wav(2.5), "wav", 2.5, 1),
        (lambda: make_wav(1.0, channels=2, rate=16000), "wav", 1.0, 2),
        (lambda: make_mp3(6.0), "mp3", 6.0, 1),
        (lambda: make_mp4(42.0), "mp4", 42.0, 1),
        (lambda: make_mp4(9.0, brand=b"M4A ", audio=True), "m4a", 9.0, 1),
        (lambda: make_flac(12.0, channels=2), "flac", 12.0, 2),
    ],
)
def test_probe_reads_duration(
    tmp_path: Path, maker: object, kind: str, seconds: float, channels: int
) -> None:
    path = tmp_path / "m"
    path.write_bytes(maker())  # type: ignore[operator]
    info = probe(path, kind)
    assert info.duration == pytest.approx(seconds, abs=0.05)
    assert info.channels == channels


@pytest.mark.parametrize(
    ("data", "kind", "fragment"),
    [
        (make_wav(2)[:-500], "wav", "truncated"),
        (make_wav(2)[:44], "wav", "truncated"),
        (make_wav(2)[:30], "wav", "truncated"),
        (make_mp4(3)[:-10], "mp4", "truncated"),
        (make_mp4(3)[:30], "mp4", "truncated"),
        (b"\xff\xfb\x90\xc4" + b"\x00" * 10, "mp3", "no audio|cannot be read"),
        (make_wav(0), "wav", "no audio"),
    ],
)
def test_probe_rejects_broken_media(tmp_path: Path, data: bytes, kind: str, fragment: str) -> None:
    path = tmp_path / "m"
    path.write_bytes(data)
    with pytest.raises(MediaError, match=fragment):
        probe(path, kind)


def test_media_type_strips_parameters() -> None:
    assert media_type("Audio/WAV; codecs=1") == "audio/wav"
    assert media_type(None) == ""


@pytest.mark.parametrize(
    ("declared", "kind", "video", "part", "ok"),
    [
        ("audio/wav", "wav", False, False, True),
        ("audio/wave", "wav", False, False, True),
        ("audio/mpeg", "mp3", False, False, True),
        ("audio/mp3", "mp3", False, False, True),
        ("audio/mpeg", "wav", False, False, False),  # declared type must match the bytes
        ("", "flac", False, False, True),  # no type: any supported format is detected
        ("application/octet-stream", "ogg", False, False, True),
        ("application/octet-stream", None, False, False, False),
        ("audio/ogg", "ogg", False, False, False),  # not in the documented list
        ("video/mp4", "mp4", True, False, True),
        ("", "mp4", True, False, False),  # video needs video/mp4
        ("", "mp4", True, True, True),  # ... except a multipart part left generic
        ("video/mp4", "wav", True, False, False),
    ],
)
def test_check_declared(declared: str, kind: str | None, video: bool, part: bool, ok: bool) -> None:
    assert (check_declared(declared, kind, video=video, part=part) is None) is ok
