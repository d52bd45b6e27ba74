"""Runs as root inside `unshare --net --mount`: makes api.symbl.ai the mock, for this namespace only.

1. brings up the namespace's own loopback; 2. bind-mounts a hosts file naming api.symbl.ai and
api-labs.symbl.ai 127.0.0.1 over /etc/hosts; 3. starts mock-symbl with its TLS port on 443; 4. bind-mounts
bundles holding the mock's CA over certifi's bundle and the system's (what a user does once to trust it);
5. runs sdk_client.py and prints its report. Mounts made in a private mount namespace vanish with it.
Usage: python namespace_inside.py <data_dir>
"""

from __future__ import annotations

import json
import os
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import certifi

HERE = Path(__file__).resolve().parent
DATA = Path(sys.argv[1])


def bind(source: Path, target: str) -> None:
    subprocess.run(["mount", "--bind", str(source), os.path.realpath(target)], check=True)


# Variables that would point the client elsewhere (a proxy that does not exist in here, a CA bundle that
# replaces the trust store): the app runs as on a machine where only the names and the CA were set up.
OVERRIDES = ("proxy", "ca_bundle", "ssl_cert_file", "ssl_cert_dir")


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not any(part in k.lower() for part in OVERRIDES)}


def main() -> int:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    hosts = DATA / "hosts"
    hosts.write_text("127.0.0.1 localhost api.symbl.ai api-labs.symbl.ai\n::1 localhost\n")
    bind(hosts, "/etc/hosts")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mock_symbl",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--labs-port",
            "0",
            "--tls-port",
            "443",
            "--data-dir",
            str(DATA),
            "--database",
            ":memory:",
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        banner = [server.stdout.readline(), server.stdout.readline()]
        if not banner[1].startswith("TLS on https://127.0.0.1:443"):
            print(json.dumps({"error": f"mock did not start: {banner}"}))
            return 1
        ca = (DATA / "tls" / "ca.pem").read_text()
        for name, target in (
            ("certifi.pem", certifi.where()),
            ("system.pem", ssl.get_default_verify_paths().cafile),
        ):
            if target and os.path.exists(target):
                bundle = DATA / name
                bundle.write_text(Path(target).read_text() + "\n" + ca)
                bind(bundle, target)
        client = subprocess.run(
            [sys.executable, str(HERE / "sdk_client.py")],
            capture_output=True,
            text=True,
            timeout=120,
            env=_clean_env(),
        )
        if client.returncode != 0 or not client.stdout.strip():
            print(json.dumps({"error": "client failed", "stderr": client.stderr[-4000:]}))
            return 1
        report = json.loads(client.stdout.strip().splitlines()[-1])
        report["banner"] = banner
        print(json.dumps(report))
        return 0
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        time.sleep(0)


if __name__ == "__main__":
    sys.exit(main())
