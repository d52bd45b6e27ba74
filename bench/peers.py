"""The peer mock servers, each serving the same answer bytes as mock-symbl, for side-by-side figures.

WireMock (the npm `wiremock` package runs its standalone jar on the machine's Java), Mockoon CLI and Prism,
at the exact versions of bench/peers/package.json, installed on first use with `npm ci` into
bench/peers/node_modules (gitignored). A peer that can't be installed or started is reported as skipped,
with the reason, never silently left out.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.common import cpu_seconds as cpu_seconds  # re-exported: the figures' CPU per request
from bench.common import free_port, process_tree, stop, wait_http

PEERS_DIR = Path(__file__).resolve().parent / "peers"
BIN = PEERS_DIR / "node_modules" / ".bin"


class PeerUnavailable(RuntimeError):
    """Why a peer could not run here (shown in the report as the skip reason)."""


def install() -> None:
    """`npm ci` the pinned peers once; raises PeerUnavailable when npm or the registry is missing."""
    if all((BIN / name).exists() for name in ("wiremock", "mockoon-cli", "prism")):
        return
    if shutil.which("npm") is None:
        raise PeerUnavailable("npm is not installed")
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=PEERS_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise PeerUnavailable(f"npm ci failed: {done.stderr.strip()[-300:]}")


@dataclass
class Running:
    name: str
    url: str  # the full URL of the answer
    pid: int


def _start(name: str, command: list[str], url: str, cwd: Path, ready: str) -> Iterator[Running]:
    log = cwd / f"{name}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    try:
        try:
            wait_http(ready, timeout=60, proc=proc)
        except (RuntimeError, TimeoutError) as exc:
            raise PeerUnavailable(
                f"{name} did not start: {exc}: {log.read_text(errors='replace')[-300:]}"
            ) from None
        yield Running(name, url, proc.pid)
    finally:
        # the npm wrappers start java/node as children and do not stop them: stop the whole tree, children first
        children = [pid for pid in process_tree(proc.pid) if pid != proc.pid]
        stop(proc)
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


@contextmanager
def wiremock(path: str, body: bytes, *, journal: bool = True) -> Iterator[Running]:
    """WireMock standalone with one stub; `journal=False` is its `--no-request-journal` mode."""
    if shutil.which("java") is None:
        raise PeerUnavailable("java is not installed (WireMock's jar needs it)")
    with tempfile.TemporaryDirectory(prefix="bench-wiremock-") as tmp:
        root = Path(tmp)
        (root / "mappings").mkdir()
        (root / "__files").mkdir()
        (root / "__files" / "answer.json").write_bytes(body)
        stub = {
            "request": {"method": "GET", "urlPath": path},
            "response": {
                "status": 200,
                "bodyFileName": "answer.json",
                "headers": {"Content-Type": "application/json"},
            },
        }
        (root / "mappings" / "answer.json").write_text(json.dumps(stub))
        port = free_port()
        command = [str(BIN / "wiremock"), "--port", str(port), "--root-dir", str(root), "--disable-banner"]
        if not journal:
            command.append("--no-request-journal")
        base = f"http://127.0.0.1:{port}"
        name = "WireMock 3.13" + ("" if journal else " --no-request-journal")
        yield from _start(name, command, base + path, root, base + path)


@contextmanager
def mockoon(path: str, body: bytes) -> Iterator[Running]:
    """Mockoon CLI with one route whose inline body is the answer (templating off)."""
    route_id = str(uuid.uuid4())
    port = free_port()
    environment = {
        "uuid": str(uuid.uuid4()),
        "lastMigration": 33,
        "name": "bench",
        "endpointPrefix": "",
        "latency": 0,
        "port": port,
        "hostname": "127.0.0.1",
        "folders": [],
        "routes": [
            {
                "uuid": route_id,
                "type": "http",
                "documentation": "",
                "method": "get",
                "endpoint": path.lstrip("/"),
                "responses": [
                    {
                        "uuid": str(uuid.uuid4()),
                        "body": body.decode("utf-8"),
                        "latency": 0,
                        "statusCode": 200,
                        "label": "",
                        "headers": [{"key": "Content-Type", "value": "application/json"}],
                        "bodyType": "INLINE",
                        "filePath": "",
                        "databucketID": "",
                        "sendFileAsBody": False,
                        "rules": [],
                        "rulesOperator": "OR",
                        "disableTemplating": True,
                        "fallbackTo404": False,
                        "default": True,
                        "crudKey": "id",
                        "callbacks": [],
                    }
                ],
                "responseMode": None,
                "streamingMode": None,
                "streamingInterval": 0,
            }
        ],
        "rootChildren": [{"type": "route", "uuid": route_id}],
        "proxyMode": False,
        "proxyHost": "",
        "proxyRemovePrefix": False,
        "tlsOptions": {"enabled": False, "type": "CERT", "pfxPath": "", "certPath": "", "keyPath": "",
                       "caPath": "", "passphrase": ""},
        "cors": True,
        "headers": [],
        "proxyReqHeaders": [],
        "proxyResHeaders": [],
        "data": [],
        "callbacks": [],
    }  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-mockoon-") as tmp:
        data = Path(tmp) / "environment.json"
        data.write_text(json.dumps(environment))
        command = [str(BIN / "mockoon-cli"), "start", "--data", str(data), "--port", str(port)]
        command.append("--disable-log-to-file")
        url = f"http://127.0.0.1:{port}{path}"
        yield from _start("Mockoon CLI 9.9", command, url, Path(tmp), url)


@contextmanager
def prism(path: str, body: bytes) -> Iterator[Running]:
    """Prism's mock server on a one-route OpenAPI document whose example is the answer."""
    template = path.rsplit("/", 2)[0] + "/{id}/" + path.rsplit("/", 1)[1]
    document = {
        "openapi": "3.0.3",
        "info": {"title": "bench", "version": "1"},
        "paths": {
            template: {
                "get": {
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"example": json.loads(body)}},
                        }
                    },
                }
            }
        },
    }
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-prism-") as tmp:
        spec = Path(tmp) / "openapi.json"
        spec.write_text(json.dumps(document))
        command = [str(BIN / "prism"), "mock", "-h", "127.0.0.1", "-p", str(port), str(spec)]
        url = f"http://127.0.0.1:{port}{path}"
        yield from _start("Prism 5.16", command, url, Path(tmp), url)
