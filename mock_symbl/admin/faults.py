"""Fault injection: rules matched by method, path, account and namespace; per-request overrides.

A rule fires `count` times (None: forever), each time with a seeded `probability`, and has one effect:
an HTTP status with Symbl's error body, added latency (alone or before another effect), a dropped
connection, or a WebSocket closed with a code (optionally after N server messages).
"""

from __future__ import annotations

import math
import random
import re
import threading
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from mock_symbl.admin.patterns import compile_path
from mock_symbl.errors import (
    MSG_BAD_REQUEST,
    MSG_NOT_FOUND,
    MSG_SERVER_ERROR,
    MSG_UNAUTHORIZED,
)

if TYPE_CHECKING:
    from mock_symbl.services import Services
    from mock_symbl.tenancy import Tenant

# Bodies Symbl answered with, per status (rest.md §2.4); other statuses get a generic message.
_BODIES: dict[int, dict[str, Any]] = {
    400: {"message": MSG_BAD_REQUEST},
    401: {"message": MSG_UNAUTHORIZED},
    403: {"message": "Forbidden."},
    404: {"message": MSG_NOT_FOUND},
    413: {"message": "Request entity too large."},
    429: {"statusCode": 429, "message": "Too many requests, please try again later."},
    500: {"message": MSG_SERVER_ERROR},
    502: {"message": "Bad Gateway."},
    503: {"message": "Service unavailable."},
    504: {"message": "Gateway timeout."},
}


def symbl_error_body(status: int) -> dict[str, Any]:
    """The error body Symbl sent with `status`."""
    return dict(_BODIES.get(status, {"message": MSG_SERVER_ERROR if status >= 500 else MSG_BAD_REQUEST}))


@dataclass
class Effect:
    """What a fault does; latency can combine with any other effect."""

    status: int | None = None
    body: dict[str, Any] | None = None
    latency_ms: float = 0.0
    drop: bool = False
    ws_close: int | None = None
    after_messages: int = 0  # WebSocket: server messages let through before the close

    @property
    def empty(self) -> bool:
        return self.status is None and not self.drop and self.ws_close is None and self.latency_ms <= 0


@dataclass
class FaultRule:
    id: str
    effect: Effect
    method: str | None = None  # None: any
    path: str | None = None  # glob (`/v1/conversations/*`) or `re:` regex; None: any non-admin path
    account: str | None = None
    namespace: str | None = None
    count: int | None = None  # remaining firings; None: unlimited
    probability: float = 1.0
    fired: int = 0
    seed: int | None = None
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def matches(self, method: str, path: str, account: str | None, namespace: str) -> bool:
        if self.count is not None and self.count <= 0:
            return False
        if self.method and self.method.upper() not in (method.upper(), "*"):
            return False
        if self.account is not None and self.account != account:
            return False
        if self.namespace is not None and self.namespace != namespace:
            return False
        return self.path is None or path_matches(self.path, path)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "method": self.method,
            "path": self.path,
            "account": self.account,
            "namespace": self.namespace,
            "remaining": self.count,
            "probability": self.probability,
            "seed": self.seed,
            "fired": self.fired,
            "effect": asdict(self.effect),
        }


def path_matches(pattern: str, path: str) -> bool:
    """Glob or `re:` (RE2) match; the pattern was validated when the rule was made."""
    return compile_path(pattern)(path)


class FaultEngine:
    """The fault rules of one server (thread-safe: routes run in the threadpool, faults in the loop)."""

    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._next = 0
        self._seed = seed

    def add(self, rule: FaultRule) -> FaultRule:
        with self._lock:
            self._next += 1
            rule.id = rule.id or f"fault-{self._next}"
            seed = rule.seed if rule.seed is not None else self._seed
            rule._rng = random.Random(f"{seed}:{rule.id}") if seed is not None else random.Random()
            self._rules.append(rule)
            return rule

    def list(self, namespace: str | None = None) -> list[FaultRule]:
        with self._lock:
            return [r for r in self._rules if namespace is None or r.namespace == namespace]

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if r.id != rule_id]
            return len(self._rules) != before

    def clear(self, *, account: str | None = None, namespace: str | None = None) -> int:
        """Drop every rule, or the rules scoped to one account and/or namespace."""
        with self._lock:
            keep = [
                r
                for r in self._rules
                if (account is not None and r.account != account)
                or (namespace is not None and r.namespace != namespace)
            ]
            removed = len(self._rules) - len(keep)
            self._rules = keep
            return removed

    def reseed(self, seed: int | None) -> None:
        with self._lock:
            self._seed = seed

    def pick(
        self,
        method: str,
        path: str,
        account: str | None,
        namespace: str,
        *,
        websocket: bool = False,
        messages_sent: int | None = None,
    ) -> FaultRule | None:
        """The first matching rule that fires now (its count is consumed), or None.

        HTTP requests see status/latency/drop rules; WebSockets see close rules (and, when
        `messages_sent` is given, only those whose `after_messages` has been reached).
        """
        with self._lock:
            for rule in self._rules:
                if (rule.effect.ws_close is not None) != websocket:
                    continue
                if messages_sent is not None and rule.effect.after_messages > messages_sent:
                    continue
                if not rule.matches(method, path, account, namespace):
                    continue
                if rule.probability < 1.0 and rule._rng.random() >= rule.probability:
                    continue
                if rule.count is not None:
                    rule.count -= 1
                rule.fired += 1
                return rule
        return None


_PREFER_RE = re.compile(r"(?:^|[;,\s])(code|delay|drop)\s*(?:=\s*\"?([^;,\s\"]*)\"?)?", re.IGNORECASE)
MAX_LATENCY_MS = 600_000.0  # the bound of a rule's latency_ms (admin/schemas.py)


class OverrideError(ValueError):
    """A control header (`Prefer`, `X-Mock-Fault`) with a value out of range: a 400 naming it."""


def _status(value: str | None, header: str) -> int:
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit() and 100 <= int(text) <= 599):
        raise OverrideError(f"{header}: the status must be an integer from 100 to 599, not {text!r}.")
    return int(text)


def _latency(value: str | None, header: str) -> float:
    text = (value or "").strip()
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not (math.isfinite(number) and 0 <= number <= MAX_LATENCY_MS):
        raise OverrideError(
            f"{header}: the delay must be a number of milliseconds from 0 to {MAX_LATENCY_MS:g}, not {text!r}."
        )
    return number


def parse_override(prefer: str | None, x_mock_fault: str | None) -> Effect | None:
    """A per-request effect from `Prefer: code=429` / `delay=200` / `drop`, or `X-Mock-Fault`.

    `X-Mock-Fault` takes the same tokens (`429`, `status=503`, `latency=150`, `drop`), comma separated.
    Raises OverrideError for a status that is not an integer 100-599 or a delay that is not a finite number
    of milliseconds within MAX_LATENCY_MS (`code=1e400`, `code=nan`, `latency=inf`).
    """
    effect = Effect()
    for match in _PREFER_RE.finditer(prefer or ""):
        key, value = match.group(1).lower(), match.group(2)
        if key == "code":
            effect.status = _status(value, "Prefer")
        elif key == "delay":
            effect.latency_ms = _latency(value, "Prefer")
        elif key == "drop":
            effect.drop = True
    for token in (x_mock_fault or "").split(","):
        key, _, value = token.strip().partition("=")
        key = key.strip().lower()
        if not key:
            continue
        if key[0].isdigit():
            effect.status = _status(key, "X-Mock-Fault")
        elif key in ("status", "code"):
            effect.status = _status(value, "X-Mock-Fault")
        elif key in ("latency", "delay", "latency_ms"):
            effect.latency_ms = _latency(value, "X-Mock-Fault")
        elif key in ("drop", "reset"):
            effect.drop = True
    return None if effect.empty else effect


def websocket_fault(
    services: Services, tenant: Tenant | None, path: str, *, messages_sent: int = 0
) -> int | None:
    """The close code a WebSocket handler should close with now, or None (for the streaming loop).

    Rules with `after_messages` wait until the handler has sent that many messages.
    """
    state = services.admin
    if state is None:
        return None
    account = tenant.account if tenant else None
    namespace = tenant.namespace if tenant else ""
    rule = state.faults.pick("GET", path, account, namespace, websocket=True, messages_sent=messages_sent)
    return rule.effect.ws_close if rule else None


def rule_from_dict(data: dict[str, Any]) -> FaultRule:
    """Build a rule from the admin API's JSON (validated by the router's schema)."""
    effect = Effect(
        status=data.get("status"),
        body=data.get("body"),
        latency_ms=float(data.get("latency_ms") or 0),
        drop=bool(data.get("drop")),
        ws_close=data.get("ws_close"),
        after_messages=int(data.get("after_messages") or 0),
    )
    return FaultRule(
        id=str(data.get("id") or ""),
        effect=effect,
        method=data.get("method"),
        path=data.get("path"),
        account=data.get("account"),
        namespace=data.get("namespace"),
        count=data.get("count"),
        probability=float(data.get("probability", 1.0)),
        seed=data.get("seed"),
    )
