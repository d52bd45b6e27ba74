"""A tenant: the account (the token's app id) and the test namespace (`X-Mock-Namespace`, default "")."""

from __future__ import annotations

from dataclasses import dataclass

# The account of conversations imported "for every account" (mock-symbl import --all-accounts): any token's
# account reads and writes them (in their namespace). Conversation ids are unique across accounts, so a
# recorded id cannot be copied into each account.
SHARED_ACCOUNT = "*"


def owns(tenant: Tenant, account: str, namespace: str) -> bool:
    """True when a row of (account, namespace) is the tenant's own or shared with every account."""
    return namespace == tenant.namespace and account in (tenant.account, SHARED_ACCOUNT)


@dataclass(frozen=True)
class Tenant:
    account: str
    namespace: str = ""
