"""`mock-symbl demo`: every transcript pack becomes a finished conversation with insights, loaded once."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import mutagen
import pytest
from fastapi.testclient import TestClient

from mock_symbl import cli
from mock_symbl.demo import demo_conversation_id, load_demo
from mock_symbl.services import Services
from tests.helpers import auth_headers


def services_of(client: TestClient) -> Services:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    return services


@pytest.fixture
def demo_client(app_factory: Callable[..., TestClient]) -> TestClient:
    return app_factory(seed=7)


def test_every_pack_becomes_a_completed_conversation_with_insights(demo_client: TestClient) -> None:
    services = services_of(demo_client)
    library = services.transcripts
    loaded = load_demo(services)
    assert [pack.name for pack in loaded] == list(library.names())
    assert len(loaded) >= 6
    assert all(pack.created for pack in loaded)
    headers = auth_headers(demo_client, "demo")
    fixtures = Path(services.settings.fixtures_dir)
    for pack in loaded:
        base = f"/v1/conversations/{pack.conversation_id}"
        conversation = demo_client.get(base, headers=headers).json()
        assert conversation["name"] == library.get(pack.name).title
        # the pack's demo recording is named in the metadata, for the UI's player
        assert pack.audio == f"audio/{pack.name}.mp3"
        assert (fixtures / pack.audio).stat().st_size > 50_000
        assert conversation["metadata"] == {"demoPack": pack.name, "audioFile": pack.audio}
        messages = demo_client.get(f"{base}/messages", headers=headers).json()["messages"]
        transcript = library.get(pack.name)
        assert len(messages) >= len(transcript.lines)
        assert {m["from"]["name"] for m in messages} == set(transcript.speakers)
        # timings kept: the last message ends where the transcript's last line ends
        assert messages[-1]["timeOffset"] + messages[-1]["duration"] == pytest.approx(
            transcript.lines[-1].end, abs=0.01
        )
        for route, key in (
            ("questions", "questions"),
            ("action-items", "actionItems"),
            ("follow-ups", "followUps"),
            ("topics", "topics"),
            ("entities", "entities"),
        ):
            response = demo_client.get(f"{base}/{route}", headers=headers)
            assert response.status_code == 200, (pack.name, route, response.text)
            assert response.json()[key], f"{pack.name}: no {key}"


def test_loading_twice_changes_nothing(demo_client: TestClient) -> None:
    services = services_of(demo_client)
    first = load_demo(services)
    headers = auth_headers(demo_client, "demo")
    before = demo_client.get("/v1/conversations", headers=headers).json()["conversations"]
    second = load_demo(services)
    after = demo_client.get("/v1/conversations", headers=headers).json()["conversations"]
    assert [p.conversation_id for p in second] == [p.conversation_id for p in first]
    assert not any(pack.created for pack in second)
    assert len(after) == len(before) == len(first)


def test_app_id_and_namespace_choose_the_account(demo_client: TestClient) -> None:
    services = services_of(demo_client)
    loaded = load_demo(services, app_id="sales-team", namespace="ns1")
    assert loaded[0].conversation_id == demo_conversation_id("sales-team", "ns1", loaded[0].name)
    other = demo_client.get(
        f"/v1/conversations/{loaded[0].conversation_id}", headers=auth_headers(demo_client, "demo")
    )
    assert other.status_code == 404  # another account cannot see it
    mine = auth_headers(demo_client, "sales-team") | {"X-Mock-Namespace": "ns1"}
    assert demo_client.get(f"/v1/conversations/{loaded[0].conversation_id}", headers=mine).status_code == 200


def test_half_loaded_pack_is_loaded_again(demo_client: TestClient) -> None:
    services = services_of(demo_client)
    loaded = load_demo(services)
    from mock_symbl.store import conversations as conv_repo
    from mock_symbl.tenancy import Tenant

    with services.db.transaction() as session:
        conv = conv_repo.get_conversation(session, Tenant("demo"), loaded[0].conversation_id)
        conv.status = "in_progress"  # as if the process stopped in the middle of that pack
        session.add(conv)
    again = load_demo(services)
    assert [p.created for p in again] == [True] + [False] * (len(again) - 1)
    headers = auth_headers(demo_client, "demo")
    messages = demo_client.get(
        f"/v1/conversations/{loaded[0].conversation_id}/messages", headers=headers
    ).json()
    assert len(messages["messages"]) >= len(services.transcripts.get(loaded[0].name).lines)
    assert len(messages["messages"]) < 2 * len(
        services.transcripts.get(loaded[0].name).lines
    )  # not appended twice


def test_cli_loads_into_the_database_file_and_prints_links(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["demo", "--no-serve", "--data-dir", str(tmp_path), "--port", "18123", "--app-id", "cli-demo"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "6 loaded now" in out
    assert "http://127.0.0.1:18123/__admin/ui/" in out
    assert '"appId":"cli-demo"' in out
    assert "curl -s http://127.0.0.1:18123/v1/conversations/" in out
    assert (tmp_path / "mock-symbl.db").is_file()
    assert cli.main(argv) == 0
    assert "0 loaded now, 6 already there" in capsys.readouterr().out


def test_cli_refuses_no_serve_in_memory(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--no-serve", "--database", ":memory:"]) == 2
    assert "in-memory" in capsys.readouterr().err


AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "audio"


def test_demo_recordings_are_small_and_registered_for_their_opening_lines(demo_client: TestClient) -> None:
    library = services_of(demo_client).transcripts
    recordings = sorted(AUDIO.glob("*.mp3"))
    assert {p.stem for p in recordings} == set(library.names())
    assert sum(p.stat().st_size for p in recordings) < 5_000_000
    for path in recordings:
        registered = library.registered_for_sha256(hashlib.sha256(path.read_bytes()).hexdigest())
        assert registered is not None, f"{path.name} is not in fixtures/manifest.json"
        full = library.get(path.stem)
        # the recording speaks the transcript's opening lines at the transcript's own timings
        assert registered.lines == full.lines[: len(registered.lines)]
        assert len(registered.lines) >= 5
        length = mutagen.File(path).info.length
        assert 30 <= length <= 70
        assert registered.lines[-1].end <= length


def test_uploading_a_demo_recording_transcribes_what_it_says(demo_client: TestClient) -> None:
    headers = auth_headers(demo_client, "demo")
    audio = (AUDIO / "support-call.mp3").read_bytes()
    response = demo_client.post(
        "/v1/process/audio", headers={**headers, "Content-Type": "audio/mpeg"}, content=audio
    )
    assert response.status_code == 200, response.text
    conversation_id = response.json()["conversationId"]
    messages = demo_client.get(f"/v1/conversations/{conversation_id}/messages", headers=headers).json()[
        "messages"
    ]
    spoken = services_of(demo_client).transcripts.registered_for_sha256(hashlib.sha256(audio).hexdigest())
    assert " ".join(m["text"] for m in messages) == " ".join(line.text for line in spoken.lines)


def test_cli_default_loads_then_serves_the_demo() -> None:
    command = [
        sys.executable,
        "-m",
        "mock_symbl",
        "demo",
        "--database",
        ":memory:",
        "--port",
        "0",
        "--no-labs-enabled",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines: list[str] = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Serving on "):
                break
        output = "".join(lines)
        assert "6 loaded now" in output, output
        base = lines[-1].split()[2]
        ui = re.search(r"Web UI:\s+(\S+)", output)
        assert ui is not None
        assert ui.group(1) == f"{base}/__admin/ui/"
        deadline = time.monotonic() + 20
        while True:  # the line comes just before uvicorn starts listening
            try:
                if httpx.get(f"{base}/__admin/ready").status_code == 200:
                    break
            except httpx.ConnectError:
                pass
            assert time.monotonic() < deadline, "the demo server never became ready"
            time.sleep(0.1)
        token = httpx.post(
            f"{base}/oauth2/token:generate", json={"type": "application", "appId": "demo", "appSecret": "s"}
        ).json()["accessToken"]
        listed = httpx.get(f"{base}/v1/conversations", headers={"Authorization": f"Bearer {token}"}).json()
        assert len(listed["conversations"]) == 6
    finally:
        process.terminate()
        process.wait(timeout=15)
