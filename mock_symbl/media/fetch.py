"""Fetch a media URL to disk (only when the server is told to): bounded size and time, http(s) only."""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from mock_symbl.media.sniff import SNIFF_BYTES, media_type

if TYPE_CHECKING:
    import httpx

MAX_REDIRECTS = 5


class FetchError(Exception):
    """The URL could not be fetched; the message says why (it becomes the failed job's reason)."""


@dataclass(frozen=True)
class FetchedMedia:
    path: Path
    size: int
    sha256: str
    head: bytes
    declared_type: str


def check_url(url: object) -> str | None:
    """An error sentence when `url` is not an absolute http(s) URL, else None."""
    if not isinstance(url, str) or not url.strip():
        return '"url" is required'
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        return f'"url" must be an http or https URL (got scheme "{parts.scheme or "(none)"}")'
    if not parts.hostname:
        return '"url" must include a host'
    return None


def fetch_to_file(url: str, *, path: Path, limit: int, timeout: float) -> FetchedMedia:
    """GET `url` into `path`, following at most 5 http(s) redirects; FetchError on any failure."""
    import httpx  # on first use: httpx (and its CLI's imports) is ~35 ms of server start-up

    deadline = time.monotonic() + timeout
    current = url.strip()
    try:
        with httpx.Client(follow_redirects=False, timeout=httpx.Timeout(timeout)) as client:
            for _ in range(MAX_REDIRECTS + 1):
                problem = check_url(current)
                if problem:
                    raise FetchError(f"Refused to fetch {current!r}: {problem}.")
                with client.stream("GET", current) as response:
                    if response.is_redirect and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"Fetching the media URL failed with HTTP {response.status_code}.")
                    return _save(response, path, limit, deadline)
            raise FetchError(f"Too many redirects (more than {MAX_REDIRECTS}).")
    except httpx.HTTPError as exc:
        _remove(path)
        raise FetchError(f"The media URL is unreachable: {type(exc).__name__}: {exc}") from None
    except FetchError:
        _remove(path)
        raise


def _save(response: httpx.Response, path: Path, limit: int, deadline: float) -> FetchedMedia:
    announced = response.headers.get("content-length")
    if announced and announced.isdigit() and int(announced) > limit:
        raise FetchError(f"The media at the URL is larger than the {limit} bytes this server accepts.")
    digest = hashlib.sha256()
    head = bytearray()
    size = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        for chunk in response.iter_bytes(64 * 1024):
            size += len(chunk)
            if size > limit:
                raise FetchError(
                    f"The media at the URL is larger than the {limit} bytes this server accepts."
                )
            if time.monotonic() > deadline:
                raise FetchError("Fetching the media URL took too long.")
            if len(head) < SNIFF_BYTES:
                head += chunk[: SNIFF_BYTES - len(head)]
            digest.update(chunk)
            f.write(chunk)
    if size == 0:
        raise FetchError("The media URL returned an empty body.")
    return FetchedMedia(
        path, size, digest.hexdigest(), bytes(head), media_type(response.headers.get("content-type"))
    )


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
