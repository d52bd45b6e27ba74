"""Run inside a fresh network namespace (tests/admin/test_admin_access.py): a mock on 0.0.0.0, called from a
public (non-private) address that only exists inside this namespace, and from loopback. Prints JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx

PUBLIC = "11.22.33.4"  # not loopback, not private: what a caller from the internet looks like


def main() -> None:
    admin_token = sys.argv[1] if len(sys.argv) > 1 else ""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(["ip", "addr", "add", f"{PUBLIC}/32", "dev", "lo"], check=True)
    from mock_symbl.server import MockServer
    from mock_symbl.settings import Settings

    settings = Settings(
        host="0.0.0.0",
        port=0,
        labs_enabled=False,
        database=":memory:",
        log_level="warning",
        job_progression="immediate",
        admin_token=admin_token or None,
    )
    server = MockServer(settings).start()
    out: dict[str, object] = {}
    try:
        base = f"http://{PUBLIC}:{server.port}"
        public = httpx.Client(base_url=base, transport=httpx.HTTPTransport(local_address=PUBLIC), timeout=10)
        local = httpx.Client(base_url=f"http://127.0.0.1:{server.port}", timeout=10)
        token = public.post(
            "/oauth2/token:generate", json={"type": "application", "appId": "victim", "appSecret": "s"}
        ).json()["accessToken"]
        made = public.post(
            "/v1/process/text",
            headers={"x-api-key": token},
            json={"messages": [{"payload": {"content": "Keep me."}}]},
        )
        out["api_from_public"] = made.status_code
        with_token = {"x-admin-token": admin_token} if admin_token else {}
        for name, client in (("public", public), ("local", local)):
            for suffix, headers in (("", {}), ("_with_token", with_token)):
                if suffix and not admin_token:
                    continue
                out[f"{name}{suffix}"] = {
                    "snapshot": client.get("/__admin/snapshot", headers=headers).status_code,
                    "requests": client.get("/__admin/requests", headers=headers).status_code,
                    "ui": client.get("/__admin/ui/", headers=headers).status_code,
                    "health": client.get("/__admin/health").status_code,
                    "ready": client.get("/__admin/ready").status_code,
                }
        out["reset_from_public"] = public.post("/__admin/reset", json={}).status_code
        out["reset_body"] = public.post("/__admin/reset", json={}).json()
        listed = local.get("/v1/conversations", headers={"x-api-key": token}).json()["conversations"]
        out["conversations_after"] = len(listed)
    finally:
        server.stop()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
