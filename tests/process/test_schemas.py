"""Async API answers read strictly as their model; the types the Go SDK and symbl_rest (AsyncResponse) declare."""

from __future__ import annotations

from fastapi.testclient import TestClient

from mock_symbl.media.synth import make_wav
from mock_symbl.process import schemas
from tests.helpers import SAMPLE_MESSAGES
from tests.strict import json_types, strict


def test_process_answers(client: TestClient, headers: dict[str, str]) -> None:
    text = strict(
        schemas.ProcessResponse,
        client.post("/v1/process/text", headers=headers, json={"messages": SAMPLE_MESSAGES}),
    )
    append = client.put(
        f"/v1/process/text/{text.conversationId}", headers=headers, json={"messages": SAMPLE_MESSAGES}
    )
    assert strict(schemas.ProcessResponse, append).conversationId == text.conversationId
    wav = {**headers, "content-type": "audio/wav"}
    audio = strict(
        schemas.ProcessResponse, client.post("/v1/process/audio", headers=wav, content=make_wav(2))
    )
    assert audio.jobId != text.jobId


def test_declared_types_match_the_sdks() -> None:
    # Go JobConversation {JobID, ConversationID string}; symbl_rest AsyncResponse {conversationId, jobId: str}
    for field in ("conversationId", "jobId"):
        assert json_types(schemas.ProcessResponse, field) == {"string"}
