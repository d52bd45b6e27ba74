"""pytest plugin (entry point `symbl_mock`): a mock Symbl server for your tests.

    def test_transcript(symbl_mock):
        r = httpx.post(f"{symbl_mock.base_url}/v1/process/text", headers=symbl_mock.headers, json={...})
        assert symbl_mock.requests(path="/v1/process/text")[0]["status"] == 200

One server per test session (in-process, free ports, a private throw-away database, immediate jobs);
every test starts from a full reset (data, journal, faults, clock, scripted results). Override the
`symbl_mock_settings` fixture (session scope) to change settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from mock_symbl.job_lifecycle import JobStatus, Progression

if TYPE_CHECKING:  # imported lazily: every pytest run in an environment with mock-symbl loads this plugin
    from mock_symbl.server import MockServer

DEFAULT_APP_ID = "symbl-mock-app"
DEFAULT_APP_SECRET = "symbl-mock-secret"
DEFAULT_SETTINGS: dict[str, Any] = {
    "host": "127.0.0.1",
    "port": 0,
    "labs_port": 0,
    "database": ":memory:",
    "job_progression": Progression.IMMEDIATE,
    "log_level": "warning",
}


class _Admin:
    """A small client of /__admin."""

    def __init__(self, base_url: str, admin_token: str | None) -> None:
        # X-Mock-Admin marks the calls as not coming from a web page (mutating admin calls need it or JSON).
        headers = {"x-mock-admin": "1", **({"x-admin-token": admin_token} if admin_token else {})}
        self.http = httpx.Client(base_url=f"{base_url}/__admin", headers=headers, timeout=30)

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.http.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise AssertionError(f"/__admin{path}: HTTP {response.status_code} {response.text}")
        return response.json()


class FaultControl:
    """`symbl_mock.faults`: add rules (see POST /__admin/faults), list and clear them."""

    def __init__(self, admin: _Admin) -> None:
        self._admin = admin

    def add(self, **rule: Any) -> dict[str, Any]:
        """e.g. add(path="/v1/job/*", status=500, count=1) or add(method="GET", latency_ms=300)."""
        result: dict[str, Any] = self._admin.call("POST", "/faults", json=rule)
        return result

    def list(self) -> list[dict[str, Any]]:
        faults: list[dict[str, Any]] = self._admin.call("GET", "/faults")["faults"]
        return faults

    def remove(self, fault_id: str) -> None:
        self._admin.call("DELETE", f"/faults/{fault_id}")

    def clear(self) -> None:
        self._admin.call("DELETE", "/faults")


class ClockControl:
    """`symbl_mock.clock`: freeze, advance (due jobs step), resume."""

    def __init__(self, admin: _Admin) -> None:
        self._admin = admin

    def now(self) -> str:
        now: str = self._admin.call("GET", "/clock")["now"]
        return now

    def freeze(self, at: str | float | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self._admin.call("POST", "/clock/freeze", json={"at": at})
        return result

    def advance(self, seconds: float) -> dict[str, Any]:
        result: dict[str, Any] = self._admin.call("POST", "/clock/advance", json={"seconds": seconds})
        return result

    def resume(self) -> dict[str, Any]:
        result: dict[str, Any] = self._admin.call("POST", "/clock/resume")
        return result


class SymblMock:
    """What the `symbl_mock` fixture gives a test."""

    def __init__(
        self, server: MockServer, app_id: str = DEFAULT_APP_ID, app_secret: str = DEFAULT_APP_SECRET
    ) -> None:
        self.server = server
        self.base_url: str = server.base_url
        self.labs_url: str | None = server.labs_url
        self.app_id = app_id
        self.app_secret = app_secret
        self.admin = _Admin(self.base_url, server.settings.admin_token)
        self.faults = FaultControl(self.admin)
        self.clock = ClockControl(self.admin)
        self.token = self.new_token()

    # --- API access
    def new_token(self, app_id: str | None = None, app_secret: str | None = None) -> str:
        """A fresh access token (the account is the app id)."""
        response = httpx.post(
            f"{self.base_url}/oauth2/token:generate",
            json={
                "type": "application",
                "appId": app_id or self.app_id,
                "appSecret": app_secret or self.app_secret,
            },
            timeout=30,
        )
        response.raise_for_status()
        token: str = response.json()["accessToken"]
        return token

    @property
    def headers(self) -> dict[str, str]:
        """Headers authenticating as this test's app."""
        return {"x-api-key": self.token}

    # --- control
    def reset(self, account: str | None = None, namespace: str | None = None) -> dict[str, Any]:
        """Reset everything (default), one account or one namespace."""
        params = {k: v for k, v in (("account", account), ("namespace", namespace)) if v is not None}
        result: dict[str, Any] = self.admin.call("POST", "/reset", params=params)
        return result

    def job(self, job_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self.admin.call("GET", f"/jobs/{job_id}")
        return result

    def advance_job(self, job_id: str, to: str = JobStatus.COMPLETED) -> dict[str, Any]:
        """Step a job: to="next" (one step), "in_progress" or "completed" (default)."""
        result: dict[str, Any] = self.admin.call("POST", f"/jobs/{job_id}/advance", params={"to": to})
        return result

    def fail_job(self, job_id: str, reason: str | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self.admin.call("POST", f"/jobs/{job_id}/fail", json={"reason": reason})
        return result

    def set_progression(self, job_id: str, progression: str) -> dict[str, Any]:
        result: dict[str, Any] = self.admin.call(
            "PATCH", f"/jobs/{job_id}", json={"progression": progression}
        )
        return result

    def script_result(
        self,
        lines: list[dict[str, str]] | None = None,
        *,
        fixture: str | None = None,
        outcome: str = JobStatus.COMPLETED,
        reason: str | None = None,
        account: str | None = None,
        namespace: str = "",
    ) -> dict[str, Any]:
        """Queue what the next job of this app produces: [{"speaker", "text"}] lines, a fixture, or failed."""
        body = {
            "account": account or self.app_id,
            "namespace": namespace,
            "lines": lines or [],
            "fixture": fixture,
            "outcome": outcome,
            "reason": reason,
        }
        result: dict[str, Any] = self.admin.call("POST", "/results", json=body)
        return result

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """Journal entries (filters: method, path, status, account, namespace, unmatched, since, limit)."""
        params = {
            k: (str(v).lower() if isinstance(v, bool) else v) for k, v in filters.items() if v is not None
        }
        entries: list[dict[str, Any]] = self.admin.call("GET", "/requests", params=params)["requests"]
        return entries

    def webhooks(self, wait: bool = True, **filters: Any) -> list[dict[str, Any]]:
        """Webhook delivery attempts (wait=True: once queued deliveries have finished)."""
        params = {"wait": str(wait).lower(), **{k: v for k, v in filters.items() if v is not None}}
        deliveries: list[dict[str, Any]] = self.admin.call("GET", "/webhooks", params=params)["deliveries"]
        return deliveries

    def snapshot(self, account: str | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self.admin.call(
            "GET", "/snapshot", params={"account": account} if account else {}
        )
        return result

    def restore(self, snapshot: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.admin.call("PUT", "/snapshot", json=snapshot)
        return result

    def close(self) -> None:
        self.admin.http.close()


@pytest.fixture(scope="session")
def symbl_mock_settings() -> dict[str, Any]:
    """Settings overrides for the session's mock server (override this fixture to change them)."""
    return {}


@pytest.fixture(scope="session")
def symbl_mock_server(symbl_mock_settings: dict[str, Any]) -> Iterator[MockServer]:
    """The session's mock server, in-process on free ports."""
    from mock_symbl.server import MockServer
    from mock_symbl.settings import Settings

    server = MockServer(Settings(**{**DEFAULT_SETTINGS, **symbl_mock_settings})).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def symbl_mock(symbl_mock_server: MockServer) -> Iterator[SymblMock]:
    """A freshly reset mock Symbl server with a token for this test."""
    admin = _Admin(symbl_mock_server.base_url, symbl_mock_server.settings.admin_token)
    try:
        admin.call("POST", "/reset")
    finally:
        admin.http.close()
    mock = SymblMock(symbl_mock_server)
    try:
        yield mock
    finally:
        mock.close()
