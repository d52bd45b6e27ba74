"""Typed settings: every field is an env var `MOCK_SYMBL_<NAME>` and a CLI flag `--<name>`.

Nothing reads the environment at import time: `Settings()` is built by the CLI or a test and passed down.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mock_symbl.job_lifecycle import Progression

REPO_ROOT = Path(__file__).resolve().parent.parent  # the checkout (tests only: an installed package has none)


def _default_fixtures_dir() -> Path:
    """The transcript fixtures and demo recordings shipped as package data (`mock_symbl/fixtures`).

    In the checkout that folder is a link to the top-level `fixtures/`, the one source of truth; the wheel and
    the sdist carry a copy, so an installed package finds them from any working directory.
    """
    return Path(str(resources.files("mock_symbl").joinpath("fixtures")))


class Settings(BaseSettings):
    """Effective configuration of one mock server."""

    model_config = SettingsConfigDict(env_prefix="MOCK_SYMBL_", extra="ignore")

    # --- serving
    host: str = Field("127.0.0.1", description="Interface to bind (0.0.0.0 in Docker).")
    port: int = Field(8080, ge=0, le=65535, description="Main API port (0 = any free port).")
    labs_port: int = Field(
        8081, ge=0, le=65535, description="Labs host port; -1 style disable via labs_enabled."
    )
    labs_enabled: bool = Field(True, description="Serve the Labs host on labs_port too.")
    labs_host_prefix: str = Field(
        "api-labs", description="A Host header starting with this selects the Labs host."
    )
    public_base_url: str | None = Field(
        None, description="Base URL used in returned links; default: the request's own base URL."
    )
    tls_port: int | None = Field(
        None,
        ge=0,
        le=65535,
        description="Also serve the API over HTTPS/WSS on this port (0 = any free port; unset = no TLS).",
    )
    tls_cert: Path | None = Field(
        None, description="PEM server certificate (chain) for tls_port; default: one made by a local CA."
    )
    tls_key: Path | None = Field(None, description="PEM private key of tls_cert.")
    tls_hostnames: str = Field(
        "",
        description="Comma-separated extra names/IPs for the made certificate (api.symbl.ai, api-labs.symbl.ai, "
        "localhost and 127.0.0.1 are always in it).",
    )
    admin_hosts: str = Field(
        "",
        description="Comma-separated extra Host names /__admin answers without a token (IP addresses, localhost, "
        "single-label names such as compose services, the TLS names and public_base_url's host always work): a "
        "page that re-points its own domain at the mock (DNS rebinding) is refused.",
    )
    forwarded_allow_ips: str = Field(
        "127.0.0.1,::1",
        description="Proxies whose X-Forwarded-Proto/-Host/-For are honoured: comma-separated IPs or networks, "
        "* = any.",
    )
    log_level: str = Field("info", description="uvicorn log level.")
    access_log: bool = Field(
        False,
        description="Log one line per request (uvicorn's access log). Off by default: the request journal "
        "(GET /__admin/requests) already records every call, and the log line costs about a tenth of a cached "
        "read's CPU.",
    )
    # --- input limits and idle timeouts (docs/CONTROL_PLANE.md "Limits and timeouts")
    max_json_body_bytes: int = Field(
        2 * 1024 * 1024,
        ge=1024,
        description="Largest JSON (or other non-media) request body of the API in bytes (bigger: 413). "
        "About 17,000 text messages; validating a body this size takes the event loop 0.3-1 s.",
    )
    max_admin_body_bytes: int = Field(
        256 * 1024 * 1024,
        ge=1024,
        description="Largest /__admin request body in bytes, e.g. a snapshot import (bigger: 413).",
    )
    http_keep_alive_seconds: float = Field(
        5.0, gt=0, description="Idle keep-alive HTTP connections are closed after this many seconds."
    )
    http_header_timeout_seconds: float = Field(
        10.0,
        gt=0,
        description="A connection must send a request's complete headers within this time (else 408, closed).",
    )
    http_body_timeout_seconds: float = Field(
        30.0,
        gt=0,
        description="A request body that receives no data for this long is abandoned (408, closed).",
    )
    cors_origins: str = Field(
        "*",
        description="Origins a browser may call the API from (comma-separated; * = any, as the Web SDK needs). "
        "/__admin never sends CORS headers.",
    )
    background_boot: bool = Field(
        True,
        description="`serve`: listen and answer /__admin/health at once, open the database and load the API in "
        "the background; requests wait for it, /__admin/ready answers 200 once done. Off: listen when ready.",
    )

    # --- storage
    data_dir: Path = Field(Path("data"), description="Directory for the database file and uploaded media.")
    database: str = Field(
        "mock-symbl.db", description="SQLite file (relative to data_dir), an absolute path, or ':memory:'."
    )
    fixtures_dir: Path = Field(
        default_factory=_default_fixtures_dir,
        description="Transcript fixtures and demo recordings (default: the ones shipped in the package).",
    )

    # --- auth
    apps: str = Field(
        "",
        description="Comma-separated appId:appSecret pairs allowed to get tokens; empty = any non-empty pair.",
    )
    jwt_secret: str | None = Field(
        None,
        description="HMAC key for issued JWTs; unset: a random key kept in the database's directory "
        "(jwt-signing.key; a new one per process for ':memory:').",
    )
    token_ttl_seconds: int = Field(86400, gt=0, description="expiresIn of issued tokens.")
    admin_token: str | None = Field(
        None,
        description="If set, /__admin (except health/ready) needs it from every client; unset, loopback and "
        "private-network clients need none and others get 401.",
    )

    # --- jobs
    job_progression: Progression = Field(Progression.TIME, description="time | immediate | polls | manual.")
    job_step_seconds: float = Field(0.3, ge=0, description="Seconds per job status step in 'time' mode.")
    job_polls_per_step: int = Field(1, ge=1, description="GET /v1/job calls per step in 'polls' mode.")
    job_time_per_media_second: float = Field(
        0.0,
        ge=0,
        description="'time' mode: seconds of processing per second of uploaded media (0 = fixed job_step_seconds).",
    )
    scheduler_tick_seconds: float = Field(
        0.05,
        gt=0,
        description="How often the scheduler looks for due jobs while any job is its to move (it sleeps otherwise).",
    )
    max_concurrent_jobs: int = Field(
        50,
        ge=1,
        description="Jobs per account in progress at once; later ones wait `scheduled` until one ends.",
    )
    max_queued_jobs: int = Field(
        50,
        ge=0,
        description="Jobs per account that may wait `scheduled` behind max_concurrent_jobs; one more is "
        "refused with 429 (Symbl's concurrency error).",
    )

    # --- audio and video (media uploads, media URLs, webhooks)
    max_upload_bytes: int = Field(
        2 * 1024**3,
        ge=1,
        description="Largest media upload or fetched media in bytes (bigger: 413 / failed job).",
    )
    fetch_media_urls: bool = Field(
        False, description="Download audio/video URLs (off: offline, the URL alone selects the transcript)."
    )
    fetch_timeout_seconds: float = Field(
        30.0, gt=0, description="Total time limit for downloading one media URL (redirects included)."
    )
    outbound_policy: Literal["default", "public-only"] = Field(
        "default",
        description="Webhook and media URL targets: default refuses the mock's own ports, link-local/cloud metadata, "
        "unspecified and multicast addresses; public-only also refuses loopback and private networks.",
    )
    webhook_timeout_seconds: float = Field(
        5.0,
        gt=0,
        description="Time limit of one webhook delivery attempt (connecting, sending and the reply).",
    )
    webhook_max_attempts: int = Field(
        4, ge=1, le=20, description="Delivery attempts per webhook call (retries on error)."
    )
    webhook_backoff_seconds: float = Field(
        0.5, ge=0, description="Wait before the first webhook retry; doubles after each further attempt."
    )
    webhook_include_id: bool = Field(
        False, description="Also send the job id as `id` in webhook bodies (the key the Symbl blog showed)."
    )

    # --- determinism and insights
    seed: int | None = Field(None, description="Seed for conversation and job ids (reproducible runs).")
    entities_format: Literal["2023", "2022"] = Field("2023", description="Shape of /entities responses.")

    # --- control plane (/__admin)
    journal_size: int = Field(
        1000, ge=1, description="Requests kept in the /__admin/requests journal (ring buffer)."
    )
    answer_cache: bool = Field(
        True,
        description="Serve repeated reads of unchanged data (GET .../messages) from memory; any write retires "
        "them. Off: every read renders from the database.",
    )
    journal_body_bytes: int = Field(
        2048, ge=0, description="Bytes of each request and response body kept in the journal."
    )
    freeze_clock_at: str | None = Field(
        None,
        description="Start with the clock frozen at this ISO-8601 instant (identical timestamps run to run).",
    )
    snapshot_file: Path | None = Field(None, description="A /__admin/snapshot JSON file imported at startup.")
    seed_dir: Path | None = Field(
        None,
        description="Directory loaded at startup (sorted): snapshot or seed JSON files, and recorded Symbl "
        "traffic (cassettes, HAR, nock, folders; docs/REPLAY.md) imported into import_account.",
    )
    import_account: str = Field(
        "imported",
        min_length=1,
        description="Account that seed_dir recordings and `mock-symbl import` load into ('*': every account).",
    )
    webhook_capture_only: bool = Field(
        False, description="Record webhook deliveries in the log without sending them (no network)."
    )

    # --- streaming and telephony
    streaming_playback: Literal["audio", "instant"] = Field(
        "audio",
        description="audio: the transcript follows the audio received; instant: all of it right after start_request.",
    )
    max_concurrent_streams: int = Field(50, ge=1, description="Started streaming connections per account.")
    streaming_max_frame_bytes: int = Field(
        1_048_576, ge=1024, description="Largest WebSocket frame accepted (bigger: error, close 1009)."
    )
    streaming_start_timeout_seconds: float = Field(
        60.0,
        gt=0,
        description="A streaming WebSocket that sends no start_request within this time is closed.",
    )
    streaming_send_timeout_seconds: float = Field(
        10.0,
        gt=0,
        description="A WebSocket whose client takes no data for this long (a full send buffer) is closed (1008).",
    )
    streaming_send_buffer_bytes: int = Field(
        4 * 1024 * 1024,
        ge=65536,
        description="Unsent events kept per subscriber socket; a subscriber further behind is closed (1008).",
    )
    streaming_max_audio_speed: float = Field(
        20.0,
        ge=0,
        description="Audio read per connection at most this many times real time after a 60 s burst; faster "
        "senders are slowed by backpressure, not refused (0 = no limit).",
    )
    streaming_insights_seconds: float = Field(
        1.0, ge=0, description="Least seconds between two insight computations of one live conversation."
    )
    telephony_speed: float = Field(
        1.0,
        ge=0,
        description="Telephony call playback speed: 1 = real time, 10 = ten times faster, 0 = instant.",
    )

    @field_validator("database")
    @classmethod
    def _no_empty_database(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("database must not be empty")
        return value

    @model_validator(mode="after")
    def _cert_and_key_together(self) -> Settings:
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("tls_cert and tls_key go together: give both or neither")
        return self

    def tls_names(self) -> list[str]:
        """Names the made TLS certificate covers: Symbl's hosts, this machine, then tls_hostnames."""
        names = ["api.symbl.ai", "api-labs.symbl.ai", "localhost", "127.0.0.1"]
        for item in self.tls_hostnames.split(","):
            item = item.strip().lower()
            if item and item not in names:
                names.append(item)
        return names

    def admin_host_names(self) -> set[str]:
        """Dotted names the admin API accepts in Host without a token (besides IPs, localhost, single labels)."""
        names = {name for name in self.tls_names() if "." in name}
        names.update(item.strip().lower().rstrip(".") for item in self.admin_hosts.split(",") if item.strip())
        if self.public_base_url:
            host = urlsplit(self.public_base_url).hostname
            if host:
                names.add(host.lower())
        return names

    @property
    def in_memory(self) -> bool:
        return self.database == ":memory:"

    @property
    def database_path(self) -> Path | None:
        if self.in_memory:
            return None
        path = Path(self.database)
        return path if path.is_absolute() else self.data_dir / path

    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    def allowed_apps(self) -> dict[str, str]:
        """Parse `apps` into {appId: appSecret}; empty means every non-empty pair is accepted."""
        pairs: dict[str, str] = {}
        for item in self.apps.split(","):
            item = item.strip()
            if not item:
                continue
            app_id, _, secret = item.partition(":")
            pairs[app_id.strip()] = secret.strip()
        return pairs
