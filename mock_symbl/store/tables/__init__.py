"""Every SQLModel table, one module per area; importing this package registers them all."""

from mock_symbl.store.tables.core import (
    Conversation,
    InsightSet,
    Job,
    Member,
    Message,
    MetaEntry,
    RevokedToken,
)
from mock_symbl.store.tables.streaming import TelephonyCall
from mock_symbl.store.tables import manage as manage  # noqa: F401  (registers the Management API tables)
from mock_symbl.store.tables import webhooks as webhooks  # noqa: F401  (webhook delivery log)

__all__ = [
    "Conversation",
    "InsightSet",
    "Job",
    "Member",
    "Message",
    "MetaEntry",
    "RevokedToken",
    "TelephonyCall",
]
