"""Call Score criteria and scorecards over HTTP (rest.md §8.4), including the managed Symbl.* criteria."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from mock_symbl.manage import service as manage_service
from mock_symbl.tenancy import Tenant
from tests.helpers import auth_headers, wait_job

CRITERIA = {
    "name": "Custom criteria name",
    "tags": ["tag-1", "tag-2"],
    "description": "Describe the criteria here",
    "checklist": [
        {"question": "Was the technical issue clearly identified and resolved?", "priority": "high"},
        {"question": "Was the representative patient and understanding?", "priority": "low"},
    ],
}


def _criteria(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/v1/manage/callscore/criteria", headers=headers, json={**CRITERIA, **body})
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


def _scorecard(client: TestClient, headers: dict[str, str], criteria_list: list[str]) -> dict[str, Any]:
    body = {"name": "Scorecard Name", "tags": ["t"], "criteriaList": criteria_list}
    response = client.post("/v1/manage/callscore/scorecards", headers=headers, json=body)
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


class TestCriteria:
    def test_crud(self, client: TestClient, headers: dict[str, str]) -> None:
        created = _criteria(client, headers)
        assert created == {"id": created["id"], **CRITERIA}
        assert client.get(f"/v1/manage/callscore/criteria/{created['id']}", headers=headers).json() == created

        listed = client.get("/v1/manage/callscore/criteria", headers=headers).json()
        assert isinstance(listed, list)  # bare array
        assert [c["id"] for c in listed][:4] == [
            "Symbl.Communication_And_Engagement",
            "Symbl.Question_Handling",
            "Symbl.Forward_Motion",
            "Symbl.Sales_Process",
        ]
        assert listed[-1] == created

        replaced = client.put(
            f"/v1/manage/callscore/criteria/{created['id']}",
            headers=headers,
            json={"name": "New", "checklist": [{"question": "Q?", "priority": "medium"}]},
        ).json()
        assert replaced == {
            "id": created["id"],
            "name": "New",
            "tags": [],
            "checklist": [{"question": "Q?", "priority": "medium"}],
        }

        patched = client.patch(
            f"/v1/manage/callscore/criteria/{created['id']}", headers=headers, json={"tags": ["x"]}
        )
        assert patched.json()["tags"] == ["x"] and patched.json()["name"] == "New"
        rfc = client.patch(
            f"/v1/manage/callscore/criteria/{created['id']}",
            headers=headers,
            json=[
                {"op": "add", "path": "/checklist/-", "value": {"question": "Another?", "priority": "high"}}
            ],
        )
        assert len(rfc.json()["checklist"]) == 2

        deleted = client.delete(f"/v1/manage/callscore/criteria/{created['id']}", headers=headers)
        assert deleted.json() == {"id": created["id"], "type": "criteria", "deleted": True}
        assert (
            client.get(f"/v1/manage/callscore/criteria/{created['id']}", headers=headers).status_code == 404
        )

    def test_managed_are_read_only(self, client: TestClient, headers: dict[str, str]) -> None:
        managed = client.get("/v1/manage/callscore/criteria/Symbl.Forward_Motion", headers=headers)
        assert managed.status_code == 200 and managed.json()["name"] == "Forward Motion"
        for method in ("PUT", "PATCH"):
            response = client.request(
                method, "/v1/manage/callscore/criteria/Symbl.Forward_Motion", headers=headers, json=CRITERIA
            )
            assert response.status_code == 400 and "cannot be modified" in response.json()["message"]
        assert (
            client.delete("/v1/manage/callscore/criteria/Symbl.Forward_Motion", headers=headers).status_code
            == 400
        )

    VALIDATION_CASES: list[Any] = [
        ({"checklist": CRITERIA["checklist"]}, '"name" is required'),
        ({"name": "x"}, '"checklist" is required'),
        ({"name": "x", "checklist": []}, "at least 1"),
        ({"name": "x", "checklist": [{"question": "q", "priority": "urgent"}]}, "priority"),
        ({"name": "x", "checklist": [{"priority": "high"}]}, "question"),
        ({**CRITERIA, "tags": "t"}, "array"),
        ({**CRITERIA, "weight": 1}, "not allowed"),
    ]

    def test_validation(self, client: TestClient, headers: dict[str, str]) -> None:
        for body, fragment in self.VALIDATION_CASES:
            response = client.post("/v1/manage/callscore/criteria", headers=headers, json=body)
            assert response.status_code == 400
            assert fragment in response.json()["message"]

    def test_put_requires_every_field(self, client: TestClient, headers: dict[str, str]) -> None:
        created = _criteria(client, headers)
        assert (
            client.put(
                f"/v1/manage/callscore/criteria/{created['id']}", headers=headers, json={"name": "n"}
            ).status_code
            == 400
        )


class TestScorecards:
    def test_crud_with_managed_and_custom(self, client: TestClient, headers: dict[str, str]) -> None:
        custom = _criteria(client, headers)
        card = _scorecard(client, headers, ["Symbl.Question_Handling", custom["id"]])
        assert card["criteriaList"] == ["Symbl.Question_Handling", custom["id"]]
        assert client.get("/v1/manage/callscore/scorecards", headers=headers).json() == [card]
        assert client.get(f"/v1/manage/callscore/scorecards/{card['id']}", headers=headers).json() == card

        patched = client.patch(
            f"/v1/manage/callscore/scorecards/{card['id']}", headers=headers, json={"name": "Renamed"}
        ).json()
        assert patched["name"] == "Renamed" and patched["criteriaList"] == card["criteriaList"]
        replaced = client.put(
            f"/v1/manage/callscore/scorecards/{card['id']}",
            headers=headers,
            json={"name": "Only managed", "criteriaList": ["Symbl.Sales_Process"]},
        ).json()
        assert replaced["criteriaList"] == ["Symbl.Sales_Process"] and replaced["tags"] == []

        assert (
            client.delete(f"/v1/manage/callscore/scorecards/{card['id']}", headers=headers).json()["deleted"]
            is True
        )
        assert client.get(f"/v1/manage/callscore/scorecards/{card['id']}", headers=headers).status_code == 404

    def test_validation(self, client: TestClient, headers: dict[str, str]) -> None:
        unknown = client.post(
            "/v1/manage/callscore/scorecards", headers=headers, json={"name": "s", "criteriaList": ["404"]}
        )
        assert unknown.status_code == 400 and "unknown criteria id" in unknown.json()["message"]
        empty = client.post(
            "/v1/manage/callscore/scorecards", headers=headers, json={"name": "s", "criteriaList": []}
        )
        assert empty.status_code == 400
        missing = client.post(
            "/v1/manage/callscore/scorecards", headers=headers, json={"criteriaList": ["Symbl.Sales_Process"]}
        )
        assert missing.status_code == 400

    def test_get_scorecard_contract(self, client: TestClient, headers: dict[str, str]) -> None:
        custom = _criteria(client, headers)
        card = _scorecard(client, headers, [custom["id"], "Symbl.Forward_Motion"])
        services = client.app.state.services  # type: ignore[attr-defined]
        with services.db.session() as session:
            spec = manage_service.get_scorecard(session, Tenant("app-one"), card["id"])
            assert spec is not None and spec.id == card["id"]
            assert [c["id"] for c in spec.criteria] == [custom["id"], "Symbl.Forward_Motion"]
            assert spec.criteria[0]["checklist"] == CRITERIA["checklist"]
            assert spec.criteria[1]["name"] == "Forward Motion"
            assert manage_service.get_scorecard(session, Tenant("app-two"), card["id"]) is None
            assert manage_service.get_scorecard(session, Tenant("app-one"), "missing") is None

    def test_tenant_isolation(self, client: TestClient, headers: dict[str, str]) -> None:
        custom = _criteria(client, headers)
        card = _scorecard(client, headers, [custom["id"]])
        other = auth_headers(client, "app-two")
        assert client.get(f"/v1/manage/callscore/criteria/{custom['id']}", headers=other).status_code == 404
        assert client.get(f"/v1/manage/callscore/scorecards/{card['id']}", headers=other).status_code == 404
        assert client.get("/v1/manage/callscore/scorecards", headers=other).json() == []
        # another account cannot reference my custom criteria
        body = {"name": "s", "criteriaList": [custom["id"]]}
        assert client.post("/v1/manage/callscore/scorecards", headers=other, json=body).status_code == 400
        assert len(client.get("/v1/manage/callscore/criteria", headers=other).json()) == 4


def test_named_scorecard_drives_callscore(client: TestClient, headers: dict[str, str]) -> None:
    custom = _criteria(client, headers, name="Pricing discipline")
    card = _scorecard(client, headers, ["Symbl.Forward_Motion", custom["id"]])
    body = {
        "messages": [
            {
                "payload": {"content": "Can you send me the pricing proposal by Friday?"},
                "from": {"name": "Alice"},
            },
            {
                "payload": {"content": "Sure, I will send it by Friday and we can meet next week."},
                "from": {"name": "Bob"},
            },
            {  # Call Score needs a transcript of at least 50 words
                "payload": {
                    "content": "Great. The proposal should cover the enterprise plan, the onboarding "
                    "timeline and the support options. Our budget for this quarter is fixed, so the "
                    "discount matters a lot to us."
                },
                "from": {"name": "Alice"},
            },
        ],
        "features": {"featureList": ["insights", "callScore"], "callScore": {"scorecardId": card["id"]}},
    }
    submitted = client.post("/v1/process/text", headers=headers, json=body)
    assert submitted.status_code == 200, submitted.text
    ids = submitted.json()
    assert wait_job(client, headers, ids["jobId"]) == "completed"
    score = client.get(f"/v1/conversations/{ids['conversationId']}/callscore", headers=headers)
    assert score.status_code == 200, score.text
    assert [c["name"] for c in score.json()["criteria"]] == ["Forward Motion", "Pricing discipline"]
