"""Which Symbl route a recorded request hit, and the key its answer is served under."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlsplit

from mock_symbl import textcheck
from mock_symbl.replay.exchange import Exchange

SYMBL_BASE = "https://api.symbl.ai"
# Conversation resources replayed verbatim ("conversation" is GET /v1/conversations/{id} itself).
RESOURCES = (
    "conversation",
    "messages",
    "members",
    "topics",
    "questions",
    "action-items",
    "follow-ups",
    "entities",
    "analytics",
    "trackers",
    "summary",
)
FOLDER_RESOURCES = (*RESOURCES, "jobs")  # jobs.json: mock-symbl's own addition (ids and statuses)
ALIASES = {"trackers-detected": "trackers"}
# Query parameters that change an answer; a recorded answer is served only to a request with the same ones.
ANSWER_PARAMS = {
    "messages": ("verbose", "sentiment", "redact", "exclude"),
    "topics": ("sentiment", "parentRefs", "customTopicVocabulary", "customVocabulary"),
}
_PROCESS = re.compile(r"^/v1/process/(text|audio|video)(/url)?(?:/([^/]+))?/?$")
_JOB = re.compile(r"^/v1/job/([^/]+)/?$")
_CONVERSATION = re.compile(r"^/v1/conversations/([^/]+)(?:/([^/]+(?:/[^/]+)?))?/?$")
_TOKEN = re.compile(r"^/oauth2/token:generate/?$")


@dataclass(frozen=True)
class Route:
    """What an exchange is: a resource answer, a job submission, a job status, or something skipped."""

    kind: str  # resource | submit | job | skip
    conversation_id: str | None = None
    resource: str | None = None
    key: str | None = None
    job_id: str | None = None
    job_kind: str | None = None
    reason: str | None = None


def is_symbl_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host == "symbl.ai" or host.endswith(".symbl.ai")


def _flag(value: str) -> str | None:
    lowered = value.strip().lower()
    if lowered in ("", "false", "0"):
        return None
    return "true" if lowered in ("true", "1") else value.strip()


def answer_key(resource: str, params: Iterable[tuple[str, str]]) -> str:
    """`resource` or `resource?a=true&b=x`: the answer-changing parameters, normalized and sorted."""
    wanted = ANSWER_PARAMS.get(resource, ())
    kept = sorted(
        (name, flag) for name, value in params if name in wanted and (flag := _flag(value)) is not None
    )
    if not kept:
        return resource
    return resource + "?" + "&".join(f"{name}={quote(value, safe='')}" for name, value in kept)


def folder_url(conversation_id: str, resource: str) -> str:
    tail = "" if resource == "conversation" else f"/{resource}"
    return f"{SYMBL_BASE}/v1/conversations/{quote(conversation_id, safe='')}{tail}"


def _skip(reason: str) -> Route:
    return Route("skip", reason=reason)


def classify(ex: Exchange) -> Route:
    """The Symbl route of a recorded exchange (only the URL and method; bodies are read later)."""
    if not textcheck.encodable(ex.url):
        return _skip("the URL is not valid Unicode")
    parts = urlsplit(ex.url)
    host = parts.hostname or ""
    if not is_symbl_host(host):
        return _skip(f"non-Symbl host {host or '(none)'}")
    path = parts.path
    if _TOKEN.match(path):
        return _skip("token request (tokens are never imported)")
    if not 200 <= ex.status < 300:
        return _skip(f"recorded answer was an error ({ex.status}); errors are not replayed")
    if match := _PROCESS.match(path):
        if ex.method not in ("POST", "PUT"):
            return _skip(f"{ex.method} on a process route")
        kind = match.group(1) + ("_url" if match.group(2) else "")
        return Route("submit", conversation_id=match.group(3), job_kind=kind)
    if match := _JOB.match(path):
        return Route("job", job_id=match.group(1)) if ex.method == "GET" else _skip("not a job read")
    if match := _CONVERSATION.match(path):
        conversation_id, tail = match.group(1), match.group(2)
        if tail == "jobs":  # the folder layout's jobs.json (no Symbl route)
            return Route("jobs", conversation_id=conversation_id)
        resource = ALIASES.get(tail or "conversation", tail or "conversation")
        if resource not in RESOURCES:
            return _skip(f"route /v1/conversations/{{id}}/{tail} is not replayed")
        if ex.method != "GET":
            return _skip(f"{ex.method} {path}: writes are not replayed, only what GET answered")
        key = answer_key(resource, parse_qsl(parts.query, keep_blank_values=True))
        return Route("resource", conversation_id=conversation_id, resource=resource, key=key)
    if path.rstrip("/") == "/v1/conversations":
        return _skip("conversation list (it lists the imported conversations by itself)")
    return _skip(f"unknown route {ex.method} {path}")
