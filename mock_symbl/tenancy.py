"""A tenant: the account (the token's app id) and the test namespace (`X-Mock-Namespace`, default "")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tenant:
    account: str
    namespace: str = ""
