"""TranscriptLibrary: loading, validation errors, deterministic choice, registrations, timing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mock_symbl.settings import REPO_ROOT
from mock_symbl.transcripts.library import FixtureError, TranscriptLibrary, fit, scale, transcript_from_data

FIXTURES = REPO_ROOT / "fixtures"


def _write(directory: Path, name: str, doc: object) -> None:
    (directory / "transcripts").mkdir(parents=True, exist_ok=True)
    (directory / "transcripts" / f"{name}.json").write_text(json.dumps(doc))


def _doc(name: str = "demo", **extra: object) -> dict[str, object]:
    return {
        "name": name,
        "title": "Demo",
        "lines": [
            {"speaker": "Ann", "text": "Hello there, how are you?"},
            {"speaker": "Bob", "text": "Fine thanks."},
        ],
        **extra,
    }


@pytest.fixture(scope="module")
def library() -> TranscriptLibrary:
    return TranscriptLibrary.load(FIXTURES)


def test_choose_is_deterministic_and_spreads(library: TranscriptLibrary) -> None:
    first = [library.choose(f"sha256:{i}").name for i in range(60)]
    again = [library.choose(f"sha256:{i}").name for i in range(60)]
    assert first == again
    assert set(first) == set(library.names())


def test_get_unknown_raises_key_error(library: TranscriptLibrary) -> None:
    with pytest.raises(KeyError):
        library.get("nope")


def test_untimed_lines_get_natural_timing() -> None:
    t = transcript_from_data(_doc())
    assert t.lines[0].start == 0.0
    assert t.lines[1].start > t.lines[0].end
    assert t.duration == t.lines[-1].end


@pytest.mark.parametrize(
    ("doc", "fragment"),
    [
        (_doc(name="Bad Name"), "name"),
        ({"name": "x", "title": "t", "lines": []}, "lines"),
        (
            {"name": "x", "title": "t", "lines": [{"speaker": "a", "text": "b", "start": 2, "end": 1}]},
            "after start",
        ),
        ({"name": "x", "title": "t", "lines": [{"speaker": "a", "text": "b", "start": 1}]}, "both"),
        (_doc(speakers=[{"name": "Ann"}]), "not in speakers"),
        (_doc(colour="red"), "colour"),
        (_doc(duration=0.5), "duration"),
    ],
)
def test_invalid_documents_name_the_problem(doc: dict[str, object], fragment: str) -> None:
    with pytest.raises(FixtureError, match=fragment):
        transcript_from_data(doc, source="f.json")


def test_load_rejects_name_mismatch_and_bad_json(tmp_path: Path) -> None:
    _write(tmp_path, "other", _doc("demo"))
    with pytest.raises(FixtureError, match="must match the file name"):
        TranscriptLibrary.load(tmp_path)
    (tmp_path / "transcripts" / "other.json").write_text("{nope")
    with pytest.raises(FixtureError, match="not readable JSON"):
        TranscriptLibrary.load(tmp_path)


def test_load_empty_or_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FixtureError, match="missing transcripts"):
        TranscriptLibrary.load(tmp_path)
    (tmp_path / "transcripts").mkdir()
    with pytest.raises(FixtureError, match="empty"):
        TranscriptLibrary.load(tmp_path)


def test_manifest_and_media_registrations(tmp_path: Path) -> None:
    _write(tmp_path, "demo", _doc())
    (tmp_path / "custom.json").write_text(json.dumps(_doc("custom")))
    digest = "ab" * 32
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "media": [
                    {"sha256": digest, "transcript": "demo"},
                    {"url": "https://example.com/a.mp3", "transcript": "custom.json"},
                ]
            }
        )
    )
    (tmp_path / "media").mkdir()
    other = "cd" * 32
    (tmp_path / "media" / f"{other}.json").write_text(json.dumps(_doc("sidecar")))
    lib = TranscriptLibrary.load(tmp_path)
    assert lib.registered_for_sha256(digest.upper()).name == "demo"  # type: ignore[union-attr]
    assert lib.registered_for_url(" https://example.com/a.mp3 ").name == "custom"  # type: ignore[union-attr]
    assert lib.registered_for_sha256(other).name == "sidecar"  # type: ignore[union-attr]
    assert lib.registered_for_url("https://example.com/b.mp3") is None
    assert {"url": "https://example.com/a.mp3", "transcript": "custom"} in lib.registrations()
    # find(): library names first, then registered transcripts by their own name; None otherwise.
    assert lib.find("demo") is lib.get("demo")
    assert lib.find("custom").name == "custom"  # type: ignore[union-attr]
    assert lib.find("sidecar").name == "sidecar"  # type: ignore[union-attr]
    assert lib.find("nothing") is None


@pytest.mark.parametrize(
    "entry",
    [
        {"transcript": "demo"},
        {"sha256": "ab" * 32, "url": "https://x", "transcript": "demo"},
        {"sha256": "zz", "transcript": "demo"},
        {"url": "https://x", "transcript": "missing"},
        {"url": "https://x", "transcript": "missing.json"},
    ],
)
def test_bad_manifest_entries(tmp_path: Path, entry: dict[str, str]) -> None:
    _write(tmp_path, "demo", _doc())
    (tmp_path / "manifest.json").write_text(json.dumps({"media": [entry]}))
    with pytest.raises(FixtureError, match="manifest.json"):
        TranscriptLibrary.load(tmp_path)


def test_register_at_runtime(library: TranscriptLibrary) -> None:
    lib = TranscriptLibrary({n: library.get(n) for n in library.names()})
    lib.register("standup", url="https://example.com/x.wav")
    assert lib.registered_for_url("https://example.com/x.wav") == library.get("standup")
    lib.unregister(url="https://example.com/x.wav")
    assert lib.registered_for_url("https://example.com/x.wav") is None
    with pytest.raises(FixtureError):
        lib.register("standup", sha256="xyz")
    with pytest.raises(FixtureError):
        lib.register("nope", url="https://a")
    with pytest.raises(FixtureError):
        lib.register("standup")


def test_scale_is_linear(library: TranscriptLibrary) -> None:
    t = library.get("standup")
    s = scale(t, t.duration * 2)
    assert s.duration == pytest.approx(t.duration * 2)
    assert s.lines[5].start == pytest.approx(t.lines[5].start * 2, abs=0.01)
    assert [line.text for line in s.lines] == [line.text for line in t.lines]


def test_fit_short_media_keeps_a_prefix_that_fits(library: TranscriptLibrary) -> None:
    t = library.get("sales-call")
    short = fit(t, 20.0)
    assert 1 <= len(short.lines) < len(t.lines)
    assert short.lines[-1].end == pytest.approx(20.0)
    assert [line.text for line in short.lines] == [line.text for line in t.lines[: len(short.lines)]]
    tiny = fit(t, 0.5)
    assert len(tiny.lines) == 1
    assert tiny.lines[0].end <= 0.5


def test_fit_long_media_stretches_everything(library: TranscriptLibrary) -> None:
    t = library.get("sales-call")
    long = fit(t, 3600.0)
    assert len(long.lines) == len(t.lines)
    assert long.lines[-1].end == pytest.approx(3600.0)
    assert fit(t, 0) is t
