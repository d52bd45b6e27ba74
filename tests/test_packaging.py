"""The package is the product: the built wheel, installed into a clean venv, works from outside the checkout.

One module-scoped build (sdist, then the wheel from the sdist, as `python -m build` does) and one fresh venv;
every command then runs from a temporary folder with none of the checkout on its path.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTEST_PIN = "pytest==9.2.0"  # the foreign project's own test runner (the dev extra's pin)

FOREIGN_TEST = """
import httpx


def test_my_app_reads_action_items(symbl_mock):
    body = {"name": "Planning", "messages": [
        {"payload": {"content": "Can you send me the budget by Friday?"}, "from": {"name": "Ann", "userId": "a@x.io"}},
        {"payload": {"content": "Sure, I will send the budget by Friday."}, "from": {"name": "Bo", "userId": "b@x.io"}},
    ]}
    posted = httpx.post(f"{symbl_mock.base_url}/v1/process/text", headers=symbl_mock.headers, json=body).json()
    items = httpx.get(f"{symbl_mock.base_url}/v1/conversations/{posted['conversationId']}/action-items",
                      headers=symbl_mock.headers).json()["actionItems"]
    assert items and "budget" in items[0]["text"]


def test_each_test_starts_empty(symbl_mock):
    listed = httpx.get(f"{symbl_mock.base_url}/v1/conversations", headers=symbl_mock.headers).json()
    assert listed["conversations"] == []
"""

MESSAGES = [
    {"payload": {"content": "Hi Bob. Can you send me the proposal by Friday?"}, "from": {"name": "Alice"}},
    {"payload": {"content": "Sure, I will send it by Friday."}, "from": {"name": "Bob"}},
    {"payload": {"content": "What is the budget for the launch?"}, "from": {"name": "Alice"}},
]


def _clean_env() -> dict[str, str]:
    """The environment of a user's shell: no MOCK_SYMBL_* settings, nothing of the checkout on the path."""
    return {k: v for k, v in os.environ.items() if not k.startswith("MOCK_SYMBL_") and k != "PYTHONPATH"}


def _run(command: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=_clean_env(), capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, (
        f"{command} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean venv holding only the built wheel (with its dependencies) and pytest."""
    work = tmp_path_factory.mktemp("packaging")
    dist = work / "dist"
    _run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], cwd=work, timeout=600)
    wheels = list(dist.glob("mock_symbl-*.whl"))
    assert len(wheels) == 1 and list(dist.glob("mock_symbl-*.tar.gz")), list(dist.iterdir())
    env_dir = work / "venv"
    _run([sys.executable, "-m", "venv", str(env_dir)], cwd=work)
    _run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", str(wheels[0]), PYTEST_PIN], cwd=work
    )
    return env_dir


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A working folder outside the checkout."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    assert ROOT not in folder.parents
    return folder


def test_the_package_imports_from_site_packages_not_the_checkout(venv: Path, outside: Path) -> None:
    code = "import mock_symbl, importlib.metadata as m; print(mock_symbl.__file__); print(m.version('mock-symbl'))"
    where, version = _run([str(venv / "bin" / "python"), "-c", code], cwd=outside).stdout.split()
    assert "site-packages" in where and str(ROOT) not in where
    for command in (["mock-symbl", "--version"], ["python", "-m", "mock_symbl", "--version"]):
        printed = _run([str(venv / "bin" / command[0]), *command[1:]], cwd=outside).stdout.strip()
        assert printed == f"mock-symbl {version}"  # one version, from the package metadata


def test_installed_server_processes_a_text_job(venv: Path, outside: Path) -> None:
    port, labs = _free_port(), _free_port()
    command = [str(venv / "bin" / "mock-symbl"), "--port", str(port), "--labs-port", str(labs)]
    command += ["--data-dir", str(outside / "data")]
    server = subprocess.Popen(
        command, cwd=outside, env=_clean_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else "exited"
            try:
                if httpx.get(f"{base}/__admin/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the installed server never became ready"
            time.sleep(0.2)
        token = httpx.post(
            f"{base}/oauth2/token:generate", json={"type": "application", "appId": "a", "appSecret": "b"}
        ).json()["accessToken"]
        headers = {"Authorization": f"Bearer {token}"}
        posted = httpx.post(f"{base}/v1/process/text", headers=headers, json={"messages": MESSAGES})
        assert posted.status_code in (200, 201), posted.text
        job, conversation = posted.json()["jobId"], posted.json()["conversationId"]
        deadline = time.monotonic() + 30
        while httpx.get(f"{base}/v1/job/{job}", headers=headers).json()["status"] != "completed":
            assert time.monotonic() < deadline, "the job never completed"
            time.sleep(0.2)
        url = f"{base}/v1/conversations/{conversation}"
        questions = httpx.get(f"{url}/questions", headers=headers).json()["questions"]
        actions = httpx.get(f"{url}/action-items", headers=headers).json()["actionItems"]
        assert any("budget" in q["text"] for q in questions), questions
        assert any("proposal" in a["text"] or "send" in a["text"] for a in actions), actions
        assert (outside / "data" / "mock-symbl.db").is_file()
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_installed_demo_loads_its_packs_without_serving(venv: Path, outside: Path) -> None:
    command = [str(venv / "bin" / "mock-symbl"), "demo", "--no-serve", "--data-dir", str(outside / "data")]
    printed = _run(command, cwd=outside, timeout=120).stdout
    assert "6 loaded now" in printed, printed
    assert "fixtures/audio/" in printed and "site-packages" in printed  # the recordings ship with the package


def test_a_foreign_project_uses_the_symbl_mock_fixture(venv: Path, outside: Path) -> None:
    (outside / "test_my_app.py").write_text(FOREIGN_TEST)
    done = _run([str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=outside)
    assert "2 passed" in done.stdout, done.stdout
