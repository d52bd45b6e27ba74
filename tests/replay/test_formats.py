"""The pure reading core: each format's exchanges, the route of each, answer keys, plans and purity."""

from __future__ import annotations

import ast
import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mock_symbl.replay.cassettes import item_spans
from mock_symbl.replay.exchange import Exchange, RecordingError
from mock_symbl.replay.plan import Collector, ConversationPlan, Skipped
from mock_symbl.replay.routes import answer_key, classify
from mock_symbl.replay.sources import open_recording
from tests.replay.conftest import CONVERSATIONS, FIXTURES, recorded

NOW = datetime(2026, 1, 1, tzinfo=UTC)
FORMATS = {
    "vcrpy_cassette.yaml": ("vcrpy", 12),
    "govcr_cassette.yaml": ("go-vcr", 7),
    "polly_recording.har": ("polly", 6),
    "nock_recording.json": ("nock", 7),
    "devtools.har": ("har", 10),
    "folder": ("folder", 5),
}


@pytest.mark.parametrize("fixture", list(FORMATS))
def test_each_format_is_detected_and_planned(fixture: str) -> None:
    recording = open_recording(FIXTURES / fixture, fixture)
    collector = Collector()
    collector.add(recording)
    assert (recording.format, collector.counts[0]) == FORMATS[fixture]
    plans = [p for p in collector.plans(NOW) if isinstance(p, ConversationPlan)]
    cid, job_id = CONVERSATIONS[fixture]
    assert [p.conversation_id for p in plans] == [cid]
    plan = plans[0]
    assert plan.answers == recorded(fixture)  # gzip, base64 and hex bodies decoded to the same JSON
    assert [j.id for j in plan.jobs] == ([job_id] if job_id else [])
    assert len(plan.messages) == 6 and {m.member_id for m in plan.messages} == {m.id for m in plan.members}
    assert plan.messages[0].start < plan.messages[-1].end


def test_go_vcr_items_are_cut_at_their_own_indentation() -> None:
    spans, head = item_spans(FIXTURES / "govcr_cassette.yaml") or ([], b"")
    assert len(spans) == 7 and b"version: 2" in head


def test_routes_and_answer_keys() -> None:
    def route(method: str, url: str, status: int = 200) -> tuple[str, str | None]:
        r = classify(Exchange(method, url, status, None, "{}", "here"))
        return r.kind, r.key or r.job_kind or r.job_id or r.reason

    api = "https://api.symbl.ai"
    assert route("GET", f"{api}/v1/conversations/1/messages?verbose=false&sentiment=true") == (
        "resource",
        "messages?sentiment=true",
    )
    assert route("GET", f"{api}/v1/conversations/1/trackers-detected") == ("resource", "trackers")
    assert route("GET", "https://api-labs.symbl.ai/v1/conversations/1") == ("resource", "conversation")
    assert route("PUT", f"{api}/v1/process/audio/url/1") == ("submit", "audio_url")
    assert route("GET", f"{api}/v1/job/abc") == ("job", "abc")
    assert route("GET", "https://symbl.example.com/v1/conversations/1/messages")[1] == (
        "non-Symbl host symbl.example.com"
    )
    assert "errors are not replayed" in str(route("GET", f"{api}/v1/conversations/1/topics", 500)[1])
    assert "writes are not replayed" in str(route("DELETE", f"{api}/v1/conversations/1")[1])
    assert "tokens are never imported" in str(route("POST", f"{api}/oauth2/token:generate")[1])
    assert answer_key("topics", [("refresh", "true"), ("parentRefs", "1")]) == "topics?parentRefs=true"
    assert answer_key("questions", [("sentiment", "true")]) == "questions"


def _cassette(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(text)
    return path


def test_malformed_and_truncated_files_are_refused_whole(tmp_path: Path) -> None:
    good = (FIXTURES / "vcrpy_cassette.yaml").read_text()
    truncated = _cassette(tmp_path, good[: len(good) // 2].rsplit("\n", 3)[0] + "\n    body: '{\"unclosed\n")
    with pytest.raises(RecordingError, match="not valid YAML near line"):
        Collector().add(open_recording(truncated))
    broken = tmp_path / "b.json"
    broken.write_text('{"log": {"entries": [{"request": ')
    with pytest.raises(RecordingError, match="not valid JSON"):
        open_recording(broken)
    other = tmp_path / "o.json"
    other.write_text('{"hello": "world"}')
    with pytest.raises(RecordingError, match="not a recording"):
        open_recording(other)
    with pytest.raises(RecordingError, match="not a cassette"):
        Collector().add(open_recording(_cassette(tmp_path, "just: text\n")))


def test_a_conversation_with_a_bad_answer_is_skipped_whole(tmp_path: Path) -> None:
    lines = []
    for resource, body in (
        ("messages", '{"messages": [{"id": "1", "text": "Hi."}]}'),
        ("topics", '{"topics": 3}'),
    ):
        lines.append(
            f"- request: {{method: GET, uri: 'https://api.symbl.ai/v1/conversations/42/{resource}', body: null}}\n"
            f"  response: {{status: {{code: 200}}, body: {{string: '{body}'}}}}\n"
        )
    collector = Collector()
    collector.add(open_recording(_cassette(tmp_path, "interactions:\n" + "".join(lines))))
    out = list(collector.plans(NOW))
    assert len(out) == 1 and isinstance(out[0], Skipped)
    assert out[0].item == "conversation 42" and "topics answer needs" in out[0].reason


def test_gzip_binary_body(tmp_path: Path) -> None:
    import yaml

    body = gzip.compress(b'{"messages": [{"id": "7", "text": "Hello."}]}')
    item = {
        "request": {"method": "GET", "uri": "https://api.symbl.ai/v1/conversations/9/messages", "body": None},
        "response": {
            "status": {"code": 200},
            "headers": {"Content-Encoding": ["gzip"]},
            "body": {"string": body},
        },
    }
    path = tmp_path / "g.yaml"
    path.write_text(yaml.safe_dump({"interactions": [item], "version": 1}))
    collector = Collector()
    collector.add(open_recording(path))
    plan = next(iter(collector.plans(NOW)))
    assert isinstance(plan, ConversationPlan) and plan.messages[0].text == "Hello."


def test_the_core_is_pure() -> None:
    """mock_symbl/replay imports no web framework, ORM or settings (architecture rule)."""
    banned = ("fastapi", "starlette", "sqlmodel", "sqlalchemy", "mock_symbl.settings", "mock_symbl.store")
    for path in (Path(__file__).parents[2] / "mock_symbl" / "replay").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not [n for n in names if n.startswith(banned)], path


def test_compressed_bombs_are_refused(tmp_path: Path) -> None:
    import io
    import zipfile

    import yaml

    from mock_symbl.replay import exchange

    bomb = gzip.compress(b" " * (exchange.MAX_BODY_BYTES + 10))
    item = {
        "request": {"method": "GET", "uri": "https://api.symbl.ai/v1/conversations/9/messages", "body": None},
        "response": {
            "status": {"code": 200},
            "headers": {"Content-Encoding": ["gzip"]},
            "body": {"string": bomb},
        },
    }
    path = tmp_path / "bomb.yaml"
    path.write_text(yaml.safe_dump({"interactions": [item]}))
    with pytest.raises(RecordingError, match="inflates past 64 MB"):
        Collector().add(open_recording(path))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("9/messages.json", b" " * (exchange.MAX_BODY_BYTES + 10))
    zipped = tmp_path / "bomb.zip"
    zipped.write_bytes(buffer.getvalue())
    with pytest.raises(RecordingError, match="over 64 MB"):
        Collector().add(open_recording(zipped))
