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

__all__ = ["Conversation", "InsightSet", "Job", "Member", "Message", "MetaEntry", "RevokedToken"]
