"""Answers imported from a recording are served as recorded, also where Symbl's types differ from the mock's
answer models (a recorded follow-up's float score is not turned into a 500 by the int the model declares)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.helpers import auth_headers
from tests.replay.conftest import CONVERSATIONS, FIXTURES


def test_recorded_insights_keep_symbls_own_values(client: TestClient) -> None:
    recording = (FIXTURES / "vcrpy_cassette.yaml").read_bytes()
    assert client.post("/__admin/import", content=recording).status_code == 200
    cid, _ = CONVERSATIONS["vcrpy_cassette.yaml"]
    headers = auth_headers(client, "imported")
    follow_ups = client.get(f"/v1/conversations/{cid}/follow-ups", headers=headers)
    assert follow_ups.status_code == 200 and follow_ups.json()["followUps"][0]["score"] == 0.92
    insights = client.get(f"/v1/conversations/{cid}/insights", headers=headers)
    assert insights.status_code == 200, insights.text
    recorded = [i for i in insights.json()["insights"] if i["type"] == "follow_up"]
    assert recorded == follow_ups.json()["followUps"]
