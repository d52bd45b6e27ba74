"""Tracker management over HTTP: Gen-1 (/tracker, PUT) and Gen-2 (/trackers, PATCH) side by side."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_symbl.errors import TooManyRequests
from mock_symbl.manage import service_trackers
from mock_symbl.tenancy import Tenant
from tests.helpers import auth_headers

PROMO = {
    "name": "Promotion Mention",
    "vocabulary": [
        "We have a special promotion going on if you book this before",
        "I can offer you a discount of 10 20 percent you being a new customer for us",
        "We have our month special this month",
        "We have a sale right now on",
    ],
}


def _create(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/v1/manage/tracker", headers=headers, json={**PROMO, **body})
    assert response.status_code == 200, response.text
    tracker: dict[str, Any] = response.json()["tracker"]
    return tracker


class TestGen1:
    def test_create_get_put_delete(self, client: TestClient, headers: dict[str, str]) -> None:
        tracker = _create(client, headers)
        assert set(tracker) == {"id", "name", "vocabulary"}
        assert tracker["id"].isdigit() and len(tracker["id"]) == 16
        assert tracker["vocabulary"] == PROMO["vocabulary"]

        got = client.get(f"/v1/manage/tracker/{tracker['id']}", headers=headers)
        assert got.json() == {"tracker": tracker}

        body = {
            "id": tracker["id"],
            "name": "Promotion Mention",
            "vocabulary": ["Flash sale is available right now"],
        }
        put = client.put(f"/v1/manage/tracker/{tracker['id']}", headers=headers, json=body)
        assert put.status_code == 200
        assert put.json()["tracker"]["vocabulary"] == ["Flash sale is available right now"]

        deleted = client.delete(f"/v1/manage/tracker/{tracker['id']}", headers=headers)
        assert deleted.json() == {"id": tracker["id"], "type": "tracker", "deleted": True}
        assert client.get(f"/v1/manage/tracker/{tracker['id']}", headers=headers).status_code == 404
        assert client.delete(f"/v1/manage/tracker/{tracker['id']}", headers=headers).status_code == 404

    def test_bulk_array_on_plural_route(self, client: TestClient, headers: dict[str, str]) -> None:
        body = [{"name": "Voice Message", "vocabulary": ["Please leave message after tone"]}, PROMO]
        response = client.post("/v1/manage/trackers", headers=headers, json=body)
        assert response.status_code == 200
        trackers = response.json()["trackers"]
        assert [t["name"] for t in trackers] == ["Voice Message", "Promotion Mention"]
        assert all(set(t) == {"id", "name", "vocabulary"} for t in trackers)

    def test_put_id_mismatch_and_unknown(self, client: TestClient, headers: dict[str, str]) -> None:
        tracker = _create(client, headers)
        bad = client.put(f"/v1/manage/tracker/{tracker['id']}", headers=headers, json={**PROMO, "id": "1"})
        assert bad.status_code == 400
        assert "does not match" in bad.json()["message"]
        assert client.put("/v1/manage/tracker/123", headers=headers, json=PROMO).status_code == 404

    def test_put_rename_conflict(self, client: TestClient, headers: dict[str, str]) -> None:
        first = _create(client, headers)
        _create(client, headers, name="Other")
        clash = client.put(
            f"/v1/manage/tracker/{first['id']}", headers=headers, json={**PROMO, "name": "Other"}
        )
        assert clash.status_code == 409


class TestGen2:
    def test_create_single_object(self, client: TestClient, headers: dict[str, str]) -> None:
        body = {**PROMO, "description": "Promos", "categories": ["sales"], "languages": ["en-US", "es-ES"]}
        response = client.post("/v1/manage/trackers", headers=headers, json=body)
        assert response.status_code == 200
        tracker = response.json()["tracker"]
        assert tracker["description"] == "Promos"
        assert tracker["categories"] == ["sales"]
        assert tracker["languages"] == ["en-US", "es-ES"]
        assert tracker["createdOn"].endswith("Z") and tracker["updatedOn"] == tracker["createdOn"]

    def test_default_language(self, client: TestClient, headers: dict[str, str]) -> None:
        tracker = client.post("/v1/manage/trackers", headers=headers, json=PROMO).json()["tracker"]
        assert tracker["languages"] == ["en-US"]

    def test_bulk_route(self, client: TestClient, headers: dict[str, str]) -> None:
        body = [{**PROMO, "name": f"T{i}", "categories": ["c"]} for i in range(3)]
        response = client.post("/v1/manage/trackers/bulk", headers=headers, json=body)
        assert [t["name"] for t in response.json()["trackers"]] == ["T0", "T1", "T2"]
        assert all("createdOn" in t for t in response.json()["trackers"])
        assert client.post("/v1/manage/trackers/bulk", headers=headers, json=PROMO).status_code == 400

    def test_list_and_name_filter_case_sensitive(self, client: TestClient, headers: dict[str, str]) -> None:
        _create(client, headers, name="Promo")
        _create(client, headers, name="promo")
        everything = client.get("/v1/manage/trackers", headers=headers).json()["trackers"]
        assert [t["name"] for t in everything] == ["Promo", "promo"]
        named = client.get("/v1/manage/trackers", headers=headers, params={"name": "promo"}).json()
        assert [t["name"] for t in named["trackers"]] == ["promo"]
        assert client.get("/v1/manage/trackers", headers=headers, params={"name": "PROMO"}).json() == {
            "trackers": []
        }

    def test_get_by_id_gen2_shape(self, client: TestClient, headers: dict[str, str]) -> None:
        tracker = _create(client, headers)
        got = client.get(f"/v1/manage/trackers/{tracker['id']}", headers=headers).json()["tracker"]
        assert got["languages"] == ["en-US"] and got["id"] == tracker["id"]

    def test_patch_rfc6902_and_go_sdk_values(self, client: TestClient, headers: dict[str, str]) -> None:
        tracker = _create(client, headers)
        ops = [
            {"op": "replace", "path": "/description", "value": "Updated Description"},  # Go SDK example
            {"op": "add", "path": "/vocabulary", "value": "flash sale today"},  # Go SDK: string appends
            {"op": "add", "path": "/categories/-", "value": "sales"},  # RFC 6902 append
            {"op": "remove", "path": "/vocabulary/0"},
            {"op": "replace", "path": "/languages", "value": ["es-ES"]},
        ]
        response = client.patch(f"/v1/manage/trackers/{tracker['id']}", headers=headers, json=ops)
        assert response.status_code == 200, response.text
        patched = response.json()["tracker"]
        assert patched["description"] == "Updated Description"
        assert patched["vocabulary"] == [*PROMO["vocabulary"][1:], "flash sale today"]
        assert patched["categories"] == ["sales"]
        assert patched["languages"] == ["es-ES"]
        assert patched["updatedOn"] >= patched["createdOn"]
        # the Gen-1 view sees the same row
        assert (
            client.get(f"/v1/manage/tracker/{tracker['id']}", headers=headers).json()["tracker"]["vocabulary"]
            == patched["vocabulary"]
        )

    def test_patch_remove_by_value_and_exclude(self, client: TestClient, headers: dict[str, str]) -> None:
        tracker = _create(client, headers)
        ops = [
            {"op": "remove", "path": "/vocabulary", "value": "we have a sale right now ON"},
            {"op": "add", "path": "/excludeVocabulary", "value": ["sale of the century"]},
        ]
        patched = client.patch(f"/v1/manage/trackers/{tracker['id']}", headers=headers, json=ops).json()[
            "tracker"
        ]
        assert "We have a sale right now on" not in patched["vocabulary"]
        assert patched["excludeVocabulary"] == ["sale of the century"]

    PATCH_ERRORS_CASES: list[Any] = [
        ([{"op": "move", "path": "/name", "from": "/description"}], "op"),
        ([{"op": "add", "path": "/id", "value": "1"}], "not allowed"),
        ([{"op": "replace", "path": "/vocabulary", "value": []}], "at least 1"),
        ([{"op": "add", "path": "/vocabulary", "value": "what?"}], "only letters"),
        (
            [
                {
                    "op": "add",
                    "path": "/vocabulary",
                    "value": "discount of 10 20 percent you being a new customer",
                }
            ],
            None,
        ),
        ([{"op": "remove", "path": "/vocabulary/99"}], "Invalid patch"),
        ([{"op": "remove", "path": "/name"}], "name"),
        ([{"op": "replace", "path": "/name"}], "value"),
        ([], "non-empty"),
        (["nope"], "object"),
        ([{"op": ["add"], "path": "/name", "value": "x"}], '"op"'),
    ]

    def test_patch_errors(self, client: TestClient, headers: dict[str, str]) -> None:
        for index, (ops, fragment) in enumerate(self.PATCH_ERRORS_CASES):
            tracker = _create(client, headers, name=f"Tracker {index}")
            response = client.patch(f"/v1/manage/trackers/{tracker['id']}", headers=headers, json=ops)
            if fragment is None:
                assert response.status_code == 200, ops
                continue
            assert response.status_code == 400, (ops, response.text)
            assert fragment in response.json()["message"], ops
            # nothing changed
            after = client.get(f"/v1/manage/tracker/{tracker['id']}", headers=headers).json()["tracker"]
            assert after == tracker

    def test_patch_rename_conflict_and_unknown(self, client: TestClient, headers: dict[str, str]) -> None:
        tracker = _create(client, headers)
        _create(client, headers, name="Taken")
        ops = [{"op": "replace", "path": "/name", "value": "Taken"}]
        assert (
            client.patch(f"/v1/manage/trackers/{tracker['id']}", headers=headers, json=ops).status_code == 409
        )
        assert client.patch("/v1/manage/trackers/404", headers=headers, json=ops).status_code == 404

    def test_delete(self, client: TestClient, headers: dict[str, str]) -> None:
        tracker = _create(client, headers)
        response = client.delete(f"/v1/manage/trackers/{tracker['id']}", headers=headers)
        assert response.json() == {"id": tracker["id"], "type": "tracker", "deleted": True}
        assert client.get("/v1/manage/trackers", headers=headers).json() == {"trackers": []}


class TestRules:
    def test_name_conflict_is_409_and_case_sensitive(
        self, client: TestClient, headers: dict[str, str]
    ) -> None:
        _create(client, headers)
        clash = client.post("/v1/manage/tracker", headers=headers, json=PROMO)
        assert clash.status_code == 409
        assert "already exists" in clash.json()["message"]
        assert client.post("/v1/manage/trackers", headers=headers, json=PROMO).status_code == 409
        assert (
            client.post(
                "/v1/manage/tracker", headers=headers, json={**PROMO, "name": "PROMOTION MENTION"}
            ).status_code
            == 200
        )

    def test_bulk_is_all_or_nothing(self, client: TestClient, headers: dict[str, str]) -> None:
        _create(client, headers, name="Existing")
        body = [{**PROMO, "name": "New"}, {**PROMO, "name": "Existing"}]
        assert client.post("/v1/manage/trackers/bulk", headers=headers, json=body).status_code == 409
        duplicate_in_body = [{**PROMO, "name": "Twice"}, {**PROMO, "name": "Twice"}]
        assert client.post("/v1/manage/trackers", headers=headers, json=duplicate_in_body).status_code == 409
        bad_term = [{**PROMO, "name": "Fine"}, {"name": "Broken", "vocabulary": ["what?"]}]
        assert client.post("/v1/manage/trackers/bulk", headers=headers, json=bad_term).status_code == 400
        names = [t["name"] for t in client.get("/v1/manage/trackers", headers=headers).json()["trackers"]]
        assert names == ["Existing"]

    GEN1_VALIDATION_CASES: list[Any] = [
        ({"vocabulary": ["a"]}, '"name" is required'),
        ({"name": "x"}, '"vocabulary" is required'),
        ({"name": "", "vocabulary": ["a"]}, '"name" is not allowed to be empty'),
        ({"name": 3, "vocabulary": ["a"]}, '"name" must be a string'),
        ({"name": "x", "vocabulary": "a"}, "must be an array"),
        ({"name": "x", "vocabulary": []}, "at least 1"),
        ({"name": "x", "vocabulary": ["Is it?"]}, "only letters"),
        ({"name": "x", "vocabulary": ["hello, world"]}, "only letters"),
        ({"name": "x", "vocabulary": ["wow!"]}, "only letters"),
        ({"name": "x", "vocabulary": ["time: now"]}, "only letters"),
        ({"name": "x", "vocabulary": ["same", "Same"]}, "duplicate"),
        ({"name": "x", "vocabulary": [f"t {i}" for i in range(51)]}, "less than or equal to 50"),
        ({"name": "x", "vocabulary": ["a"], "colour": "red"}, '"colour" is not allowed'),
    ]

    def test_gen1_validation(self, client: TestClient, headers: dict[str, str]) -> None:
        for body, fragment in self.GEN1_VALIDATION_CASES:
            response = client.post("/v1/manage/tracker", headers=headers, json=body)
            assert response.status_code == 400, body
            assert fragment in response.json()["message"], body

    def test_allowed_punctuation(self, client: TestClient, headers: dict[str, str]) -> None:
        body = {"name": "p", "vocabulary": ["Mr. Smith's follow-up"]}
        assert client.post("/v1/manage/tracker", headers=headers, json=body).status_code == 200

    def test_gen1_rejects_gen2_fields(self, client: TestClient, headers: dict[str, str]) -> None:
        response = client.post("/v1/manage/tracker", headers=headers, json={**PROMO, "categories": ["x"]})
        assert response.status_code == 400
        assert (
            client.post(
                "/v1/manage/trackers", headers=headers, json={**PROMO, "categories": ["x"]}
            ).status_code
            == 200
        )

    def test_gen2_validation(self, client: TestClient, headers: dict[str, str]) -> None:
        bad_lang = client.post(
            "/v1/manage/trackers", headers=headers, json={**PROMO, "languages": ["english"]}
        )
        assert bad_lang.status_code == 400 and "language code" in bad_lang.json()["message"]
        bad_cat = client.post("/v1/manage/trackers", headers=headers, json={**PROMO, "categories": "sales"})
        assert bad_cat.status_code == 400

    def test_body_over_1mb_is_413(self, client: TestClient, headers: dict[str, str]) -> None:
        big = json.dumps({"name": "big", "vocabulary": ["x" * (1024 * 1024)]})
        for method, path in (
            ("POST", "/v1/manage/tracker"),
            ("POST", "/v1/manage/trackers"),
            ("PATCH", "/v1/manage/trackers/1"),
        ):
            response = client.request(
                method, path, headers={**headers, "content-type": "application/json"}, content=big
            )
            assert response.status_code == 413, (method, path)
            assert "1 MB" in response.json()["message"]

    def test_malformed_json(self, client: TestClient, headers: dict[str, str]) -> None:
        response = client.post(
            "/v1/manage/tracker", headers={**headers, "content-type": "application/json"}, content=b"{nope"
        )
        assert response.status_code == 400
        assert response.json() == {"message": "Malformed JSON in request body."}
        assert client.post("/v1/manage/tracker", headers=headers).status_code == 400

    def test_500_per_account(self, client: TestClient, headers: dict[str, str]) -> None:
        body = [{"name": f"t{i}", "vocabulary": ["hello"]} for i in range(500)]
        assert client.post("/v1/manage/trackers/bulk", headers=headers, json=body).status_code == 200
        over = client.post(
            "/v1/manage/tracker", headers=headers, json={"name": "one more", "vocabulary": ["hi"]}
        )
        assert over.status_code == 400
        assert "500" in over.json()["message"]
        other = auth_headers(client, "app-two")
        assert (
            client.post(
                "/v1/manage/tracker", headers=other, json={"name": "t1", "vocabulary": ["hi"]}
            ).status_code
            == 200
        )

    def test_concurrent_create_is_429(self, client: TestClient, headers: dict[str, str]) -> None:
        services = client.app.state.services  # type: ignore[attr-defined]
        tenant = Tenant("app-one")
        with service_trackers._exclusive(services, tenant):
            busy = client.post("/v1/manage/tracker", headers=headers, json=PROMO)
            assert busy.status_code == 429
            assert "concurrency" in busy.json()["message"]
            with pytest.raises(TooManyRequests):
                with service_trackers._exclusive(services, tenant):
                    pass
            assert (
                client.post(
                    "/v1/manage/tracker", headers=auth_headers(client, "app-two"), json=PROMO
                ).status_code
                == 200
            )
        assert client.post("/v1/manage/tracker", headers=headers, json=PROMO).status_code == 200

    def test_lock_released_after_error(self, client: TestClient, headers: dict[str, str]) -> None:
        assert client.post("/v1/manage/tracker", headers=headers, json=PROMO).status_code == 200
        assert (
            client.post("/v1/manage/tracker", headers=headers, json=PROMO).status_code == 409
        )  # in the lock
        assert client.post("/v1/manage/tracker", headers=headers, json={"name": "x"}).status_code == 400
        lock = client.app.state.services.tracker_locks["app-one\x1f"]  # type: ignore[attr-defined]
        assert isinstance(lock, type(threading.Lock())) and not lock.locked()
