"""Every SQLModel table, one module per area; importing this package registers them all."""

from mock_symbl.store.tables import manage as manage
from mock_symbl.store.tables import replay as replay
from mock_symbl.store.tables import webhooks as webhooks
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
