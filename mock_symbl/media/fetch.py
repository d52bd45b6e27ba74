"""Fetch a media URL to disk (only when the server is told to): http(s) only, through the outbound guard, with
a size limit and one deadline for the whole download."""

from __future__ import annotations

import asyncio
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from mock_symbl.media.sniff import SNIFF_BYTES, media_type
from mock_symbl.outbound.client import Refused, is_own_address, new_client, open_stream
from mock_symbl.outbound.policy import UNREACHABLE, OutboundPolicy

if TYPE_CHECKING:
    import httpx

MAX_REDIRECTS = 5
HEADERS = {"accept-encoding": "identity"}
UNREACHABLE_MESSAGE = f"The media URL could not be fetched: {UNREACHABLE}."


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


def fetch_to_file(
    url: str, *, path: Path, limit: int, timeout: float, policy: OutboundPolicy | None = None
) -> FetchedMedia:
    """GET `url` into `path`, following at most 5 http(s) redirects; FetchError on any failure.

    `timeout` bounds the whole download (a server dripping one byte a second is cut off at it, not reset by
    each byte); every hop goes through the outbound guard (`policy`; default: the default policy without
    own ports). Blocking: runs its own event loop, so call it from a worker thread.
    """
    policy = policy or OutboundPolicy(mode="default", own_ports=frozenset(), is_own_address=is_own_address)
    try:
        return asyncio.run(_fetch(url.strip(), path, limit, timeout, policy))
    except BaseException:
        _remove(path)
        raise


async def _fetch(url: str, path: Path, limit: int, timeout: float, policy: OutboundPolicy) -> FetchedMedia:
    import httpx  # on first use: httpx (and its CLI's imports) is ~35 ms of server start-up

    answered = False  # before any response, every failure reads the same (no port scanning via job errors)
    current = url
    try:
        async with new_client(timeout) as client, asyncio.timeout(timeout):
            for _ in range(MAX_REDIRECTS + 1):
                problem = check_url(current)
                if problem:
                    raise FetchError(f"Refused to fetch {current!r}: {problem}.")
                async with open_stream(client, "GET", current, policy=policy, headers=HEADERS) as response:
                    answered = True
                    if response.is_redirect and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"Fetching the media URL failed with HTTP {response.status_code}.")
                    return await _save(response, path, limit)
            raise FetchError(f"Too many redirects (more than {MAX_REDIRECTS}).")
    except Refused:
        raise FetchError(UNREACHABLE_MESSAGE) from None
    except TimeoutError:
        if not answered:
            raise FetchError(UNREACHABLE_MESSAGE) from None
        raise FetchError(f"Fetching the media URL took longer than {timeout:g} s.") from None
    except httpx.HTTPError:
        if not answered:
            raise FetchError(UNREACHABLE_MESSAGE) from None
        raise FetchError("The media download was interrupted.") from None


async def _save(response: httpx.Response, path: Path, limit: int) -> FetchedMedia:
    announced = response.headers.get("content-length")
    if announced and announced.isdigit() and int(announced) > limit:
        raise FetchError(f"The media at the URL is larger than the {limit} bytes this server accepts.")
    digest = hashlib.sha256()
    head = bytearray()
    size = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        # Raw bytes as they arrive (identity encoding was asked for): the deadline around the caller sees every
        # read, and nothing is inflated beyond `limit`.
        async for chunk in response.aiter_raw():
            size += len(chunk)
            if size > limit:
                raise FetchError(
                    f"The media at the URL is larger than the {limit} bytes this server accepts."
                )
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
