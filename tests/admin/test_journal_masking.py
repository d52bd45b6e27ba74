"""Journal entries are masked when read (find), once, and the bookkeeping never reaches an answer."""

from __future__ import annotations

from mock_symbl.admin.journal import MASK, Journal, JournalEntry

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl"


def _entry(entry_id: int) -> JournalEntry:
    return JournalEntry(
        id=entry_id,
        time="2026-01-01T00:00:00.000Z",
        method="POST",
        path="/oauth2/token:generate",
        query=f"access_token={JWT}",
        request_body='{"type":"application","appId":"a","appSecret":"s3cret"}',
        response_body=f'{{"accessToken":"{JWT}","expiresIn":86400}}',
    )


def test_every_way_out_is_masked() -> None:
    journal = Journal(10)
    journal.add(_entry(1))
    journal.add(_entry(2))
    for found in (journal.find(), journal.find(limit=1), journal.find(path="/oauth2/token:generate")):
        for entry in found:
            data = entry.to_dict()
            assert "masked" not in data
            text = str(data)
            assert JWT not in text and "s3cret" not in text and MASK in data["request_body"]
            assert data["query"] == f"access_token={MASK}"


def test_masking_is_idempotent() -> None:
    journal = Journal(10)
    journal.add(_entry(1))
    first = journal.find()[0].to_dict()
    journal.find()[0].masked = False  # a second masking pass changes nothing
    assert journal.find()[0].to_dict() == first
