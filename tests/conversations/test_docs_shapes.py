"""The shapes of the docs' own example responses (symblai/symbl-docs, conversation-api/api-reference/*.md),
one test per point; docs/INSIGHTS.md records each decision."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from mock_symbl.media.synth import make_wav
from tests.helpers import submit_text


def _get(client: TestClient, headers: dict[str, str], cid: str, suffix: str) -> Any:
    response = client.get(f"/v1/conversations/{cid}/{suffix}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_entities_carry_the_2022_value_and_custom_type_beside_the_2023_fields(
    client: TestClient, headers: dict[str, str]
) -> None:
    client.post(
        "/v1/manage/entities",
        headers=headers,
        json={"type": "Vehicle", "subType": "Car", "values": ["Tesla"]},
    )
    text = [{"payload": {"content": "Richard Holmes will drive the Tesla to Boston on Friday."}}]
    cid = submit_text(
        client, headers, text, detectEntities=True, entities=[{"customType": "City", "text": "Boston"}]
    )["conversationId"]
    entities = _get(client, headers, cid, "entities")["entities"]
    assert isinstance(entities, list) and len(entities) >= 3
    for entity in entities:
        assert {"type", "subType", "category", "matches", "value", "text", "messageRefs"} <= set(entity)
        assert entity["value"] == entity["matches"][0]["detectedValue"]
        assert ("customType" in entity) == (entity["category"] == "Custom")
    custom = {e["customType"]: e for e in entities if e["category"] == "Custom"}
    assert custom["City"]["value"] == "Boston" and custom["City"]["text"] == "Boston"
    assert "Vehicle" in {e["type"] for e in entities}


def test_verbose_words_of_audio_carry_a_score_and_of_text_none(
    client: TestClient, headers: dict[str, str]
) -> None:
    audio = client.post(
        "/v1/process/audio", headers={**headers, "content-type": "audio/wav"}, content=make_wav(4)
    )
    words = [w for m in _get(client, headers, audio.json()["conversationId"], "messages?verbose=true")["messages"]
             for w in m["words"]]  # fmt: skip
    assert words and all(0.7 <= w["score"] <= 0.99 for w in words)
    assert len({w["score"] for w in words}) > 1  # a confidence per word, not one constant
    again = _get(client, headers, audio.json()["conversationId"], "messages?verbose=true")["messages"]
    assert [w["score"] for m in again for w in m["words"]] == [w["score"] for w in words]
    cid = submit_text(client, headers)["conversationId"]
    text_words = [
        w for m in _get(client, headers, cid, "messages?verbose=true")["messages"] for w in m["words"]
    ]
    assert text_words and all("score" not in w for w in text_words)  # the docs: text returns no score


def test_topics_always_carry_parent_refs(client: TestClient, headers: dict[str, str]) -> None:
    text = [
        {
            "payload": {
                "content": "The enterprise plan pricing is the main topic of the pricing review today."
            }
        },
        {"payload": {"content": "The plan pricing and the enterprise plan both need a pricing review."}},
    ]
    cid = submit_text(client, headers, text)["conversationId"]
    for query in ("topics", "topics?sentiment=true"):
        topics = _get(client, headers, cid, query)["topics"]
        assert topics and all(t["parentRefs"] == [] for t in topics), query
    linked = _get(client, headers, cid, "topics?parentRefs=true")["topics"]
    assert all(isinstance(t["parentRefs"], list) for t in linked)


def test_members_without_an_email_leave_the_key_out(client: TestClient, headers: dict[str, str]) -> None:
    text = [
        {"payload": {"content": "Hello there."}, "from": {"name": "Nobody Mailed"}},
        {"payload": {"content": "Hi."}, "from": {"name": "Bob", "userId": "bob@example.com"}},
    ]
    cid = submit_text(client, headers, text)["conversationId"]
    for members in (
        _get(client, headers, cid, "members")["members"],
        _get(client, headers, cid, "")["members"],
    ):
        by_name = {m["name"]: m for m in members}
        assert "email" not in by_name["Nobody Mailed"]  # not "email": null
        assert by_name["Bob"]["email"] == "bob@example.com"


def test_follow_up_time_ranges_carry_start_and_end(client: TestClient, headers: dict[str, str]) -> None:
    text = [
        {"payload": {"content": "Let's schedule a call tomorrow afternoon to review the numbers."},
         "from": {"name": "Alice"}},
        {"payload": {"content": "I will email you this evening and call you on Friday."}, "from": {"name": "Bob"}},
    ]  # fmt: skip
    cid = submit_text(client, headers, text)["conversationId"]
    start = client.get(f"/v1/conversations/{cid}", headers=headers).json()["startTime"]
    tomorrow = (date.fromisoformat(start[:10]) + timedelta(days=1)).isoformat()
    tags = [t for f in _get(client, headers, cid, "follow-ups")["followUps"] for t in f["entities"]]
    by_text = {t["text"]: t for t in tags}
    assert by_text["tomorrow afternoon"] == {
        "type": "datetimerange",
        "text": "tomorrow afternoon",
        "offset": 22,
        "start": f"{tomorrow} 12:00:00",
        "end": f"{tomorrow} 15:00:00",
    }
    assert "tomorrow" not in by_text  # the date is part of the range, as in the docs' "yesterday evening"
    assert by_text["evening"] == {
        "type": "timerange", "text": "evening", "offset": 22, "start": "16:00:00", "end": "20:00:00",
    }  # fmt: skip
    assert by_text["Friday"]["type"] == "date" and "value" in by_text["Friday"]  # dates keep their value


def test_questions_carry_entities(client: TestClient, headers: dict[str, str]) -> None:
    text = [
        {"payload": {"content": "Can we meet on Friday to discuss the pricing?"}, "from": {"name": "Alice"}}
    ]
    cid = submit_text(client, headers, text, detectEntities=True)["conversationId"]
    questions = _get(client, headers, cid, "questions")["questions"]
    assert questions and all(q["entities"] == [] for q in questions)
    insights = _get(client, headers, cid, "insights")["insights"]
    assert all(i["entities"] == [] for i in insights if i["type"] == "question")
