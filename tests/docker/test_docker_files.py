"""Static checks of the Docker files (the real build and run is `make docker-check`), plus the healthcheck
command itself run against a live server: it must pass on the configured port and fail elsewhere."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from mock_symbl.server import MockServer
from mock_symbl.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).partition(" ")
        out.append((keyword.upper(), args.strip()))
        pending = ""
    return out


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (k, _) in enumerate(steps) if k == "FROM")
    return steps[last_from:]


def exec_form(args: str) -> list[str]:
    parsed = json.loads(args)
    assert isinstance(parsed, list)
    return [str(part) for part in parsed]


class _ComposeLoader(yaml.SafeLoader):
    """SafeLoader that understands compose's `!reset` / `!override` tags."""


_ComposeLoader.add_constructor(
    "!reset",
    lambda loader, node: {
        "!reset": loader.construct_sequence(node)
        if isinstance(node, yaml.SequenceNode)
        else loader.construct_mapping(node)
    },
)
_ComposeLoader.add_constructor("!override", lambda loader, node: loader.construct_object(node))


def compose(name: str) -> dict[str, Any]:
    return yaml.load((ROOT / name).read_text(), Loader=_ComposeLoader)


def interpolate(value: str) -> str:
    """Compose's `${VAR:-default}` with the variables unset."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)


# ---- Dockerfile ---------------------------------------------------------------------------------------


def test_base_image_is_an_argument_defaulting_to_official_slim_python() -> None:
    steps = instructions()
    assert steps[0] == ("ARG", "BASE_IMAGE=python:3.12-slim")
    froms = [args for keyword, args in steps if keyword == "FROM"]
    assert froms, "no FROM"
    assert all(args.split()[0] == "${BASE_IMAGE}" for args in froms)


def test_runs_as_a_non_root_user_from_a_virtualenv() -> None:
    stage = final_stage()
    users = [args for keyword, args in stage if keyword == "USER"]
    assert users, "the final stage sets no USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    env = " ".join(args for keyword, args in stage if keyword == "ENV")
    assert "PATH=/opt/venv/bin:" in env


def test_exposes_both_ports_and_keeps_data_in_a_volume() -> None:
    stage = final_stage()
    exposed = {port for keyword, args in stage if keyword == "EXPOSE" for port in args.split()}
    assert exposed == {"8080", "8081", "8443"}  # 8443: the TLS port, when MOCK_SYMBL_TLS_PORT=8443
    env = " ".join(args for keyword, args in stage if keyword == "ENV")
    for setting in (
        "MOCK_SYMBL_HOST=0.0.0.0",
        "MOCK_SYMBL_PORT=8080",
        "MOCK_SYMBL_LABS_PORT=8081",
        "MOCK_SYMBL_DATA_DIR=/data",
    ):
        assert setting in env
    volumes = [args for keyword, args in stage if keyword == "VOLUME"]
    assert volumes
    assert "/data" in json.loads(volumes[-1])


def test_fixtures_reach_the_image_as_package_data() -> None:
    # the build stage copies fixtures/ beside mock_symbl/ (whose fixtures link points at it) before the wheel
    # is built; the runtime stage then finds them inside the installed package, with no folder or variable
    build_copies = [args.split() for keyword, args in instructions() if keyword == "COPY"]
    assert ["fixtures", "./fixtures"] in build_copies
    assert (ROOT / "mock_symbl" / "fixtures").resolve() == (ROOT / "fixtures").resolve()
    env = " ".join(args for keyword, args in final_stage() if keyword == "ENV")
    assert "FIXTURES_DIR" not in env
    for keyword, args in instructions():
        if keyword == "COPY" and not args.startswith("--from"):
            for source in args.split()[:-1]:
                if not source.endswith("*"):
                    assert (ROOT / source).exists(), f"COPY source {source} does not exist"


def test_command_is_the_console_script_with_one_worker() -> None:
    cmds = [args for keyword, args in final_stage() if keyword in ("CMD", "ENTRYPOINT")]
    assert exec_form(cmds[-1]) == ["mock-symbl"]
    text = (ROOT / "Dockerfile").read_text()
    assert "--workers" not in text
    assert "gunicorn" not in text


def test_no_syntax_the_docker_20_engine_rejects() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert not text.startswith("# syntax=")
    assert "--start-interval" not in text
    assert "COPY --link" not in text
    assert "<<" not in text  # heredocs in RUN


def healthcheck_command() -> list[str]:
    checks = [args for keyword, args in final_stage() if keyword == "HEALTHCHECK"]
    assert len(checks) == 1
    options, _, command = checks[0].partition("CMD ")
    assert "--interval=" in options
    return exec_form(command)


def test_healthcheck_reads_the_configured_port_without_curl() -> None:
    command = healthcheck_command()
    assert command[:2] == ["python", "-c"]
    assert "MOCK_SYMBL_PORT" in command[2]
    assert "/__admin/ready" in command[2]
    assert "curl" not in " ".join(command)
    assert "wget" not in " ".join(command)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_check(code: str, port: int) -> int:
    env = {**os.environ, "MOCK_SYMBL_PORT": str(port)}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=20).returncode


@pytest.mark.parametrize("source", ["Dockerfile", "docker-compose.yml"])
def test_healthcheck_passes_on_the_configured_port_and_fails_elsewhere(source: str, tmp_path: Path) -> None:
    if source == "Dockerfile":
        code = healthcheck_command()[2]
    else:
        test = compose("docker-compose.yml")["services"]["mock-symbl"]["healthcheck"]["test"]
        assert test[:3] == ["CMD", "python", "-c"]
        code = test[3]
    settings = Settings(
        host="127.0.0.1", port=0, labs_enabled=False, data_dir=tmp_path, job_progression="immediate"
    )
    server = MockServer(settings).start()
    try:
        assert _run_check(code, server.port) == 0
        assert _run_check(code, _free_port()) != 0  # nothing listens there: unhealthy
    finally:
        server.stop()


# ---- compose files ------------------------------------------------------------------------------------


def test_compose_serves_both_ports_with_a_named_volume_and_a_fast_healthcheck() -> None:
    doc = compose("docker-compose.yml")
    service = doc["services"]["mock-symbl"]
    assert service["build"]["context"] == "."
    assert "BASE_IMAGE" in service["build"]["args"]
    published = {interpolate(p) for p in service["ports"]}
    assert published == {"127.0.0.1:8080:8080", "127.0.0.1:8081:8081"}  # loopback unless opened on purpose
    assert interpolate(service["environment"]["MOCK_SYMBL_PORT"]) == "8080"
    assert interpolate(service["environment"]["MOCK_SYMBL_LABS_PORT"]) == "8081"
    assert service["environment"]["MOCK_SYMBL_HOST"] == "0.0.0.0"
    volume, _, target = service["volumes"][0].partition(":")
    assert target == "/data"
    assert volume in doc["volumes"]  # a named volume, not a bind mount
    health = service["healthcheck"]
    assert health["interval"] in ("1s", "2s")  # `up --wait` returns one interval after ready
    assert health["retries"] >= 10


def test_compose_ci_override_uses_host_networking() -> None:
    doc = compose("compose.ci.yml")
    service = doc["services"]["mock-symbl"]
    assert service["network_mode"] == "host"
    assert service["build"]["network"] == "host"
    assert service["ports"] == {"!reset": []}
    assert service["environment"]["MOCK_SYMBL_HOST"] == "127.0.0.1"
    assert set(doc["services"]) <= set(compose("docker-compose.yml")["services"])


def test_compose_transparent_gives_the_mock_symbls_names_and_tls() -> None:
    doc = compose("compose.transparent.yml")
    mock = doc["services"]["mock-symbl"]
    assert interpolate(mock["environment"]["MOCK_SYMBL_TLS_PORT"]) == "443"
    assert set(mock["networks"]["default"]["aliases"]) == {"api.symbl.ai", "api-labs.symbl.ai"}
    assert mock["sysctls"]["net.ipv4.ip_unprivileged_port_start"] == 0  # a non-root user binds 443
    app = doc["services"]["symbl-app"]
    assert app["profiles"] == ["example"]  # not started by `up`: an example to copy
    assert "mock-symbl-data:/symbl-mock:ro" in app["volumes"]  # the CA, read-only from the mock's volume
    assert app["environment"]["NODE_EXTRA_CA_CERTS"] == "/symbl-mock/tls/ca.pem"
    assert app["depends_on"]["mock-symbl"]["condition"] == "service_healthy"
    ci = compose("compose.ci.yml")["services"]["mock-symbl"]
    assert ci["networks"] == {"!reset": {}} and ci["sysctls"] == {
        "!reset": {}
    }  # host networking allows neither


def test_dockerignore_keeps_the_context_small() -> None:
    ignored = {
        line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line and line[0] != "#"
    }
    for entry in (".git", ".venv", "node_modules", "**/node_modules", "data", "tests"):
        assert entry in ignored
    for needed in ("mock_symbl", "fixtures", "pyproject.toml", "README.md"):
        assert needed not in ignored
