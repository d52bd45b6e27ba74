"""Transparent mode end to end: the official Python SDK reaches api.symbl.ai, unchanged, and finds the mock.

The client runs in a private network and mount namespace (`unshare --net --mount`) where api.symbl.ai and
api-labs.symbl.ai resolve to a mock serving TLS on port 443 and the CA bundles hold the mock's CA
(namespace_inside.py). Nothing outside the namespace changes: checked below. Needs root (CI runs as root).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import certifi
import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def _fingerprint() -> dict[str, str]:
    files = ["/etc/hosts", certifi.where(), "/etc/ssl/certs/ca-certificates.crt"]
    return {f: hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in files if os.path.exists(f)}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if os.geteuid() != 0:
        pytest.skip("needs root: a private network and mount namespace (unshare --net --mount) and port 443")
    assert shutil.which("unshare") and shutil.which("ip"), "unshare and ip (util-linux, iproute2) are needed"
    before = _fingerprint()
    data = tmp_path_factory.mktemp("transparent")
    done = subprocess.run(
        ["unshare", "--net", "--mount", "--", sys.executable, str(HERE / "namespace_inside.py"), str(data)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert _fingerprint() == before, "the namespace test changed files outside its namespace"
    assert done.returncode == 0, done.stdout + done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_text_process_and_conversation_getters_over_https(report: dict) -> None:
    text = report["text"]
    assert text["statuses"][-1] == "completed"
    assert "scheduled" not in text["statuses"]  # in_progress from the first poll, then completed
    assert text["messages"][0] == "Hi Ben, can you send me the revised budget by Friday?"
    assert text["messages"][-1] == "We should call the supplier tomorrow and ask for a new delivery date."
    assert any("supplier contract" in q for q in text["questions"])
    assert text["name"] == "Transparent mode"


def test_streaming_session_over_wss(report: dict) -> None:
    stream = report["streaming"]
    assert stream["url"].startswith("wss://api.symbl.ai/v1/realtime/insights/")
    assert stream["conversationId"]  # from conversation_created, which the SDK keeps to itself
    for kind in ("recognition_started", "recognition_result", "message_response", "recognition_stopped"):
        assert kind in stream["types"]


def test_labs_answers_on_its_own_host_name(report: dict) -> None:
    labs = report["labs"]
    assert labs["labsStatus"] == 200 and "abstractTopics" in json.dumps(labs["labsBody"])
    assert labs["mainStatus"] == 404  # the same route on api.symbl.ai: Labs is chosen by the host name


def test_the_certificate_was_made_for_port_443(report: dict) -> None:
    assert report["banner"][1].startswith("TLS on https://127.0.0.1:443")
    assert "made now" in report["banner"][1]
