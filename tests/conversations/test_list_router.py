"""GET /v1/conversations (rest.md §5.1) and GET /v1/groups/{groupId}/conversations (§5.24)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from mock_symbl.store.tables import Conversation
from tests.helpers import auth_headers, submit_text, wait_job

NOW = datetime(2024, 5, 20, 12, 0, 0, tzinfo=UTC)


def _seed(
    client: TestClient, rows: list[dict[str, Any]], account: str = "app-one", namespace: str = ""
) -> None:
    """Insert conversations directly (start = NOW - days) so windows and order are exact."""
    services = client.app.state.services  # type: ignore[attr-defined]
    services.clock.freeze(NOW.timestamp())
    with services.db.transaction() as session:
        for row in rows:
            start = NOW - timedelta(days=row.get("days", 0), minutes=row.get("minutes", 0))
            session.add(
                Conversation(
                    id=row["id"],
                    account=account,
                    namespace=namespace,
                    type=row.get("type", "meeting"),
                    name=row.get("name", row["id"]),
                    start_time=start,
                    end_time=start + timedelta(minutes=30),
                    created_at=start,
                    metadata_json=json.dumps(row.get("metadata", {})),
                )
            )


ROWS = [
    {
        "id": "1000000000000001",
        "name": "Bravo",
        "days": 1,
        "metadata": {"agentId": "johndoe", "customerId": "1"},
    },
    {
        "id": "1000000000000002",
        "name": "alpha",
        "days": 2,
        "metadata": {"agentId": "johndoe", "customerId": "2"},
    },
    {"id": "1000000000000003", "name": "Charlie", "days": 3, "metadata": {"agentId": "jane"}},
    {"id": "1000000000000004", "name": "Delta", "days": 4, "type": "call", "metadata": {}},
    {"id": "1000000000000005", "name": "Old", "days": 10, "metadata": {"agentId": "johndoe"}},
]


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["conversations"]]


def _list(client: TestClient, headers: dict[str, str], **params: Any) -> Any:
    return client.get("/v1/conversations", headers=headers, params=params)


class TestList:
    def test_default_window_and_order(self, client: TestClient, headers: dict[str, str]) -> None:
        _seed(client, ROWS)
        # last 7 days only, oldest first
        assert _ids(_list(client, headers)) == [
            "1000000000000004",
            "1000000000000003",
            "1000000000000002",
            "1000000000000001",
        ]
        assert _ids(_list(client, headers, order="desc"))[0] == "1000000000000001"
        assert _ids(_list(client, headers, order="DESC"))[0] == "1000000000000001"

    def test_shape_with_members(self, client: TestClient, headers: dict[str, str]) -> None:
        submitted = submit_text(client, headers, metadata={"agentId": "x"})
        assert wait_job(client, headers, submitted["jobId"]) == "completed"
        (conv,) = _list(client, headers).json()["conversations"]
        assert conv["id"] == submitted["conversationId"]
        assert set(conv) >= {"id", "type", "name", "startTime", "endTime", "members", "metadata"}
        assert [m["name"] for m in conv["members"]] == ["Alice", "Bob"]
        assert conv["members"][0]["email"] == "alice@example.com"
        assert conv == client.get(f"/v1/conversations/{conv['id']}", headers=headers).json()

    def test_limit_and_offset(self, client: TestClient, headers: dict[str, str]) -> None:
        _seed(client, [{"id": str(2000000000000000 + i), "minutes": i} for i in range(25)])
        assert len(_ids(_list(client, headers))) == 20  # default limit
        assert _ids(_list(client, headers, limit=0)) == []
        assert len(_ids(_list(client, headers, limit=65536))) == 25
        page = _ids(_list(client, headers, limit=5, offset=20))
        assert page == [str(2000000000000000 + i) for i in (4, 3, 2, 1, 0)]
        assert _ids(_list(client, headers, offset=100)) == []

    def test_bad_paging_parameters(self, client: TestClient, headers: dict[str, str]) -> None:
        for params, fragment in (
            ({"limit": 65537}, '"limit" must be between 0 and 65536'),
            ({"limit": -1}, '"limit"'),
            ({"limit": "ten"}, '"limit" must be a number'),
            ({"offset": -1}, '"offset"'),
            ({"order": "up"}, '"order" must be one of [asc, desc]'),
            ({"sort": "conversation.metadata.agentId"}, '"sort"'),
        ):
            response = _list(client, headers, **params)
            assert response.status_code == 400, params
            assert fragment in response.json()["message"], params

    def test_sort(self, client: TestClient, headers: dict[str, str]) -> None:
        _seed(client, ROWS)
        by_name = _list(client, headers, sort="conversation.name").json()["conversations"]
        assert [c["name"] for c in by_name] == ["Bravo", "Charlie", "Delta", "alpha"]  # binary collation
        assert [c["name"] for c in _list(client, headers, sort="name", order="desc").json()["conversations"]][
            0
        ] == "alpha"
        two_keys = _list(client, headers, sort="conversation.type,conversation.startTime").json()[
            "conversations"
        ]
        assert two_keys[-1]["type"] == "meeting" and two_keys[0]["type"] == "call"

    def test_time_window(self, client: TestClient, headers: dict[str, str]) -> None:
        _seed(client, ROWS)
        start = (NOW - timedelta(days=3, hours=1)).isoformat()
        end = (NOW - timedelta(days=1, hours=1)).isoformat()
        assert _ids(_list(client, headers, startTime=start, endTime=end)) == [
            "1000000000000003",
            "1000000000000002",
        ]
        # endTime alone: the 7 days before it
        old_end = (NOW - timedelta(days=9)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        assert _ids(_list(client, headers, endTime=old_end)) == ["1000000000000005"]
        # startTime alone: up to now
        assert len(_ids(_list(client, headers, startTime=(NOW - timedelta(days=30)).isoformat()))) == 5
        # offsets are honoured
        assert _ids(
            _list(client, headers, startTime="2024-05-18T13:00:00+02:00", endTime="2024-05-19T13:00:00+02:00")
        ) == ["1000000000000002"]

    def test_bad_times(self, client: TestClient, headers: dict[str, str]) -> None:
        assert "ISO 8601" in _list(client, headers, startTime="yesterday").json()["message"]
        reversed_window = _list(
            client, headers, startTime="2024-05-10T00:00:00Z", endTime="2024-05-01T00:00:00Z"
        )
        assert reversed_window.status_code == 400
        assert "before" in reversed_window.json()["message"]


class TestFilter:
    def test_metadata_filters(self, client: TestClient, headers: dict[str, str]) -> None:
        _seed(client, ROWS)
        # a filter replaces the default window, so the 10-day-old conversation matches too
        assert _ids(_list(client, headers, filter="conversation.metadata.agentId==johndoe")) == [
            "1000000000000005",
            "1000000000000002",
            "1000000000000001",
        ]
        both = "conversation.metadata.agentId==johndoe and conversation.metadata.customerId==2"
        assert _ids(_list(client, headers, filter=both)) == ["1000000000000002"]
        assert _ids(_list(client, headers, filter="conversation.metadata.agentId=in=(jane,nobody)")) == [
            "1000000000000003"
        ]
        # != and =out= keep conversations without the key
        not_john = _ids(_list(client, headers, filter="conversation.metadata.agentId!=johndoe"))
        assert not_john == ["1000000000000004", "1000000000000003"]
        assert _ids(_list(client, headers, filter="conversation.metadata.agentId=out=(johndoe)")) == not_john
        assert _ids(_list(client, headers, filter="conversation.metadata.customerId>1")) == [
            "1000000000000002"
        ]

    def test_field_filters(self, client: TestClient, headers: dict[str, str]) -> None:
        _seed(client, ROWS)
        assert _ids(_list(client, headers, filter="conversation.type==call")) == ["1000000000000004"]
        assert _ids(_list(client, headers, filter='conversation.name=="Charlie"')) == ["1000000000000003"]
        assert _ids(
            _list(client, headers, filter="conversation.id=in=(1000000000000001,1000000000000005)")
        ) == [
            "1000000000000005",
            "1000000000000001",
        ]
        since = (NOW - timedelta(days=2, hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert _ids(_list(client, headers, filter=f"conversation.startTime>={since}")) == [
            "1000000000000002",
            "1000000000000001",
        ]
        before = (NOW - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert _ids(_list(client, headers, filter=f"conversation.startDate<{before}")) == ["1000000000000005"]
        window = f"conversation.startTime>={since};conversation.startTime=lt={NOW.isoformat()}"
        assert len(_ids(_list(client, headers, filter=window))) == 2

    def test_filter_with_explicit_window(self, client: TestClient, headers: dict[str, str]) -> None:
        _seed(client, ROWS)
        start = (NOW - timedelta(days=7)).isoformat()
        assert _ids(
            _list(client, headers, filter="conversation.metadata.agentId==johndoe", startTime=start)
        ) == [
            "1000000000000002",
            "1000000000000001",
        ]

    def test_rejected_filters(self, client: TestClient, headers: dict[str, str]) -> None:
        for text, fragment in (
            ("conversation.metadata.agentId==a,conversation.metadata.agentId==b", "OR operator"),
            ("conversation.type==call or conversation.type==meeting", "OR operator"),
            ("conversation.type==call;conversation.name==x;conversation.id==1", "at most 2 parameters"),
            ("conversation.topic==pricing", "unknown parameter"),
            ("conversation.name=like=x", "not supported"),
            ("conversation.name==", "ends too early"),
            ("conversation.startTime>soon", "ISO-8601"),
        ):
            response = _list(client, headers, filter=text)
            assert response.status_code == 400, text
            assert response.json()["message"].startswith('"filter" is invalid: Invalid filter'), text
            assert fragment in response.json()["message"], text


class TestGroups:
    def test_group_conversations(self, client: TestClient, headers: dict[str, str]) -> None:
        _seed(client, ROWS)
        body = {"name": "John", "criteria": "conversation.metadata.agentId==johndoe"}
        group_id = client.post("/v1/manage/group", headers=headers, json=body).json()["group"]["id"]
        path = f"/v1/groups/{group_id}/conversations"
        # without a filter parameter the default 7-day window applies (as on the list route)
        assert _ids(client.get(path, headers=headers)) == ["1000000000000002", "1000000000000001"]
        month = {"startTime": (NOW - timedelta(days=30)).isoformat()}
        assert _ids(client.get(path, headers=headers, params=month)) == [
            "1000000000000005",
            "1000000000000002",
            "1000000000000001",
        ]
        narrowed = client.get(path, headers=headers, params={"filter": "conversation.metadata.customerId==1"})
        assert _ids(narrowed) == ["1000000000000001"]
        paged = client.get(path, headers=headers, params={**month, "limit": 1, "offset": 1, "order": "desc"})
        assert _ids(paged) == ["1000000000000002"]

    def test_group_follows_updates(self, client: TestClient, headers: dict[str, str]) -> None:
        _seed(client, ROWS)
        body = {"name": "Jane", "criteria": "conversation.metadata.agentId==jane"}
        group_id = client.post("/v1/manage/group", headers=headers, json=body).json()["group"]["id"]
        client.put(
            "/v1/conversations/1000000000000004", headers=headers, json={"metadata": {"agentId": "jane"}}
        ).raise_for_status()
        assert _ids(client.get(f"/v1/groups/{group_id}/conversations", headers=headers)) == [
            "1000000000000004",
            "1000000000000003",
        ]

    def test_unknown_group_and_bad_params(self, client: TestClient, headers: dict[str, str]) -> None:
        assert client.get("/v1/groups/123/conversations", headers=headers).status_code == 404
        group_id = client.post(
            "/v1/manage/group", headers=headers, json={"name": "g", "criteria": "conversation.type==meeting"}
        ).json()["group"]["id"]
        bad = client.get(f"/v1/groups/{group_id}/conversations", headers=headers, params={"limit": 70000})
        assert bad.status_code == 400


class TestTenancy:
    def test_isolation(self, client: TestClient, headers: dict[str, str]) -> None:
        _seed(client, ROWS)
        _seed(client, [{"id": "3000000000000001", "metadata": {"agentId": "johndoe"}}], account="app-two")
        _seed(client, [{"id": "3000000000000002", "metadata": {"agentId": "johndoe"}}], namespace="ns1")
        other = auth_headers(client, "app-two")
        assert _ids(_list(client, other)) == ["3000000000000001"]
        assert _ids(_list(client, {**headers, "X-Mock-Namespace": "ns1"})) == ["3000000000000002"]
        assert "3000000000000001" not in _ids(
            _list(client, headers, filter="conversation.metadata.agentId==johndoe")
        )
        assert client.get("/v1/conversations").status_code == 401


def test_members_loaded_in_chunks(client: TestClient, headers: dict[str, str], monkeypatch: Any) -> None:
    from mock_symbl.store import rsql_sql
    from mock_symbl.store.tables import Member

    monkeypatch.setattr(rsql_sql, "MEMBER_CHUNK", 2)
    _seed(client, ROWS)
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.transaction() as session:
        for row in ROWS:
            session.add(
                Member(id=f"m-{row['id']}", conversation_id=row["id"], account="app-one", name=row["name"])
            )
    conversations = _list(client, headers, limit=65536, startTime="2024-01-01T00:00:00Z").json()[
        "conversations"
    ]
    assert len(conversations) == 5
    assert all([m["name"] for m in c["members"]] == [c["name"]] for c in conversations)
