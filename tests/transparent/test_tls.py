"""The TLS port: certificates made, kept, remade when names change; the CA served; HTTPS and WSS links."""

from __future__ import annotations

import json
import os
import ssl
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from fastapi.testclient import TestClient
from pydantic import ValidationError
from websocket import create_connection

from mock_symbl.app import create_app
from mock_symbl.server import MockServer
from mock_symbl.settings import Settings
from mock_symbl.tls import ensure_files
from tests.helpers import SAMPLE_MESSAGES


def _names(path: Path) -> set[str]:
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return {str(n) for n in san.get_values_for_type(x509.DNSName)} | {
        str(ip) for ip in san.get_values_for_type(x509.IPAddress)
    }


def test_made_once_then_reused_then_remade_for_new_names(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, tls_port=0)
    first = ensure_files(settings)
    assert first.created and first.ca == tmp_path / "tls" / "ca.pem"
    assert _names(first.cert) == {"api.symbl.ai", "api-labs.symbl.ai", "localhost", "127.0.0.1"}
    assert stat.S_IMODE(os.stat(first.key).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "tls" / "ca-key.pem").st_mode) == 0o600
    cert_bytes, ca_bytes = first.cert.read_bytes(), first.ca.read_bytes()

    again = ensure_files(settings)  # a restart: nothing remade
    assert not again.created and again.cert.read_bytes() == cert_bytes

    wider = ensure_files(Settings(data_dir=tmp_path, tls_port=0, tls_hostnames="mock.internal, 10.0.0.7"))
    assert wider.created and wider.cert.read_bytes() != cert_bytes
    assert {"mock.internal", "10.0.0.7"} <= _names(wider.cert)
    assert wider.ca is not None and wider.ca.read_bytes() == ca_bytes  # the trusted CA survives


def test_a_certificate_signed_by_another_ca_is_remade(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, tls_port=0)
    ensure_files(settings)
    (tmp_path / "tls" / "ca.pem").unlink()  # the CA is gone: the old leaf no longer chains to anything kept
    remade = ensure_files(settings)
    assert remade.created
    context = ssl.create_default_context(cafile=str(remade.ca))
    assert context.cert_store_stats()["x509_ca"] == 1


def test_your_own_certificate_is_used_as_given(tmp_path: Path) -> None:
    made = ensure_files(Settings(data_dir=tmp_path / "a", tls_port=0))
    own = ensure_files(Settings(data_dir=tmp_path / "b", tls_port=0, tls_cert=made.cert, tls_key=made.key))
    assert (own.cert, own.key, own.ca) == (made.cert, made.key, None)
    assert not (tmp_path / "b" / "tls").exists()
    with pytest.raises(ValidationError, match="tls_cert and tls_key go together"):
        Settings(tls_cert=made.cert)


def test_the_ca_endpoint(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(database=":memory:", data_dir=tmp_path, port=0))) as off:
        answer = off.get("/__admin/tls/ca.pem")
        assert answer.status_code == 404 and "--tls-port" in answer.json()["message"]
    files = ensure_files(Settings(data_dir=tmp_path, tls_port=0))
    settings = Settings(database=":memory:", data_dir=tmp_path, port=0, tls_port=0, admin_token="secret")
    with TestClient(create_app(settings)) as on:
        answer = on.get("/__admin/tls/ca.pem")  # open even with an admin token: a CA certificate is public
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/x-pem-file"
        assert files.ca is not None and answer.content == files.ca.read_bytes()
    own = Settings(
        database=":memory:", data_dir=tmp_path, port=0, tls_port=0, tls_cert=files.cert, tls_key=files.key
    )
    with TestClient(create_app(own)) as mine:
        assert mine.get("/__admin/tls/ca.pem").status_code == 404


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockServer]:
    data = tmp_path_factory.mktemp("tls-server")
    settings = Settings(
        host="127.0.0.1", port=0, labs_port=0, tls_port=0, data_dir=data, database=":memory:",
        job_progression="immediate", log_level="warning", telephony_speed=0,
    )  # fmt: skip
    served = MockServer(settings).start()
    try:
        yield served
    finally:
        served.stop()


def _token(http: httpx.Client) -> str:
    body = {"type": "application", "appId": "tls", "appSecret": "s"}
    token: str = http.post("/oauth2/token:generate", json=body).json()["accessToken"]
    return token


def test_https_serves_the_api_and_the_labs_host(server: MockServer) -> None:
    assert server.tls is not None and server.tls.ca is not None and server.tls_url
    context = ssl.create_default_context(cafile=str(server.tls.ca))  # verifies the name: localhost
    base = f"https://localhost:{server.tls_port}"
    with httpx.Client(base_url=base, verify=context, timeout=10) as http:
        headers = {"Authorization": f"Bearer {_token(http)}"}
        made = http.post("/v1/process/text", headers=headers, json={"messages": SAMPLE_MESSAGES}).json()
        path = f"/v1/conversations/{made['conversationId']}/abstract-topics"
        assert http.get(path, headers=headers).status_code == 404  # the main host has no Labs routes
        labs = http.get(path, headers={**headers, "host": "api-labs.symbl.ai"})
        assert labs.status_code == 200 and "abstractTopics" in labs.json()
        call = {"operation": "start", "endpoint": {"type": "pstn", "phoneNumber": "14155550100"}}
        started = http.post("/v1/endpoint:connect", headers=headers, json=call).json()
        assert started["resultWebSocketUrl"].startswith(f"wss://localhost:{server.tls_port}/")
        assert started["eventUrl"].startswith(f"https://localhost:{server.tls_port}/")
        experience = http.get("/v1/conversations/experiences/insights/list", headers=headers).json()
        assert experience["url"].startswith(f"https://localhost:{server.tls_port}/")


def test_wss_streaming_links_back_over_https(server: MockServer) -> None:
    assert server.tls is not None and server.tls.ca is not None
    with httpx.Client(base_url=server.base_url, timeout=10) as http:
        token = _token(http)
    ws = create_connection(
        f"wss://localhost:{server.tls_port}/v1/streaming/tls-stream?access_token={token}",
        sslopt={"ca_certs": str(server.tls.ca)},
        timeout=10,
    )
    try:
        start = {
            "type": "start_request",
            "insightTypes": [],
            "config": {"speechRecognition": {"encoding": "LINEAR16", "sampleRateHertz": 16000}},
            "speaker": {"name": "Tess"},
        }
        ws.send(json.dumps(start))
        ws.send(json.dumps({"type": "stop_request"}))
        seen = []
        while not any(m.get("message", {}).get("type") == "conversation_completed" for m in seen):
            seen.append(json.loads(ws.recv()))
    finally:
        ws.close()
    completed = next(m for m in seen if m.get("message", {}).get("type") == "conversation_completed")
    assert completed["message"]["summaryUrl"].startswith(
        f"https://localhost:{server.tls_port}/v1/conversations/"
    )
