"""Telephony calls: start plays a fixture conversation in real time to /session/subscribe listeners; stop ends it.

The call's audio is simulated: a `StreamSession` advanced by the wall clock (times `telephony_speed`) instead of
audio bytes. Speaker events (REST or the /events socket) attribute the following speech to their user.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from typing import Any

import anyio

from mock_symbl.clock import iso
from mock_symbl.errors import TooManyRequests
from mock_symbl.ids import stable_uuid
from mock_symbl.job_lifecycle import JobStatus
from mock_symbl.services import Services
from mock_symbl.store import streaming as calls_repo
from mock_symbl.streaming import protocol
from mock_symbl.streaming import service as live_service
from mock_symbl.streaming.hub import Hub, get_hub
from mock_symbl.streaming.pipeline import Pipeline
from mock_symbl.streaming.session import Result, StreamSession, make_user
from mock_symbl.telephony.schemas import ConnectRequest, SpeakerEvent
from mock_symbl.tenancy import Tenant

log = logging.getLogger("mock_symbl.telephony")
TICK_SECONDS = 0.1
SPEAKING = ("started_speaking", "joined")


def summary_url(base: str, conversation_id: str) -> str:
    return f"{base.rstrip('/')}/v1/conversations/{conversation_id}/summary"


def ws_base(base: str) -> str:
    return (
        "wss" + base[5:] if base.startswith("https") else "ws" + base[4:] if base.startswith("http") else base
    )


@dataclass
class Call:
    """One live call: its simulated recognition, the player task and the recorded speaker events."""

    services: Services
    tenant: Tenant
    connection_id: str
    session: StreamSession
    pipeline: Pipeline
    hub: Hub
    task: asyncio.Task[None] | None = None
    events: list[dict[str, Any]] = field(default_factory=list)

    async def publish(self, message: dict[str, Any]) -> None:
        self.hub.publish(self.connection_id, protocol.dumps(message))

    async def handle(self, produced: list[Result]) -> None:
        for result in produced:
            await self.publish(result.transcript_response())
        self.pipeline.push([r for r in produced if r.is_final])

    async def play(self, speed: float) -> None:
        try:
            if speed <= 0:
                await self.handle(self.session.play_all())
                return
            loop = asyncio.get_running_loop()
            began = loop.time()
            while self.session.state == "started":
                await asyncio.sleep(TICK_SECONDS)
                await self.handle(self.session.advance_to((loop.time() - began) * speed, loop=False))
                if self.session.position >= self.session.transcript.duration:
                    return  # the fixture is over; the line stays open (silent) until stopped
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("telephony player failed")

    def on_event(self, data: dict[str, Any]) -> None:
        try:
            event = SpeakerEvent.model_validate(data)
        except ValueError:
            return
        self.events.append(data)
        user = event.user
        if user is None or not (user.name or user.userId):
            return
        speaker = make_user(self.session.conversation_id, user.name, user.userId)
        if event.type in SPEAKING:
            self.session.speaker_override = speaker
        elif event.type in ("stopped_speaking", "left") and self.session.speaker_override == speaker:
            self.session.speaker_override = None


def calls(services: Services) -> dict[str, Call]:
    return services.calls


def _urls(base: str, connection_id: str) -> dict[str, str]:
    return {
        "eventUrl": f"{base.rstrip('/')}/v1/event/{connection_id}",
        "resultWebSocketUrl": f"{ws_base(base.rstrip('/'))}/events/{connection_id}",
    }


async def start(services: Services, tenant: Tenant, request: ConnectRequest, base: str) -> dict[str, Any]:
    """Start a call: returns connectionId, conversationId, eventUrl and resultWebSocketUrl."""
    kind, address = request.address()
    hub = get_hub(services)
    limit = services.settings.max_concurrent_streams
    if hub.active_streams(tenant.account) >= limit:
        raise TooManyRequests(protocol.LIMIT_MESSAGE.format(limit=limit))
    connection_id = services.ids.uuid()
    transcript = await anyio.to_thread.run_sync(
        lambda: live_service.choose_transcript(
            services,
            name=None,
            keys=(f"telephony:{address}", f"telephony:{connection_id}"),
            choose_key=address,
        )
    )
    start_request = protocol.StartRequest(
        insight_types=protocol.ALL_INSIGHT_TYPES,
        language_code=request.language(),
        meeting_title=request.session_name(),
    )
    conversation_id, started_at = await anyio.to_thread.run_sync(
        lambda: live_service.open_conversation(
            services,
            tenant,
            name=request.session_name(),
            source="telephony",
            options=live_service.options_for(start_request),
        )
    )
    body = request.model_dump(exclude_none=True)
    await anyio.to_thread.run_sync(
        lambda: _record_start(services, tenant, connection_id, conversation_id, kind, address, body)
    )
    session = StreamSession(connection_id, transcript, loop=False)
    session.start(start_request, conversation_id, started_at)
    chan = hub.channel(connection_id)
    hub.claim(chan, tenant.account, tenant.namespace)
    chan.kind = "telephony"
    chan.conversation_id, chan.streaming = conversation_id, True

    async def publish(message: dict[str, Any]) -> None:
        hub.publish(connection_id, protocol.dumps(message))

    call = Call(services, tenant, connection_id, session, Pipeline(services, tenant, session, publish), hub)
    chan.on_event = call.on_event
    calls(services)[connection_id] = call
    call.task = hub.spawn(call.play(services.settings.telephony_speed))
    return {**_urls(base, connection_id), "connectionId": connection_id, "conversationId": conversation_id}


def _record_start(
    services: Services,
    tenant: Tenant,
    connection_id: str,
    conversation_id: str,
    kind: str,
    address: str,
    body: dict[str, Any],
) -> None:
    with services.db.transaction() as session:
        calls_repo.create_call(
            session,
            tenant,
            connection_id=connection_id,
            conversation_id=conversation_id,
            endpoint_type=kind,
            address=address,
            request=body,
            now=services.clock.now(),
        )


def _summary_users(request: dict[str, Any], conversation_id: str) -> list[dict[str, Any]]:
    users: list[dict[str, Any]] = []
    for action in request.get("actions") or []:
        if isinstance(action, dict) and action.get("name") == "sendSummaryEmail":
            for email in (action.get("parameters") or {}).get("emails") or []:
                users.append({"userId": str(email), "name": str(email).split("@")[0]})
    session = (request.get("data") or {}).get("session") or {}
    for entry in session.get("users") or [] if isinstance(session, dict) else []:
        user = entry.get("user") if isinstance(entry, dict) and isinstance(entry.get("user"), dict) else entry
        if isinstance(user, dict) and (user.get("userId") or user.get("email") or user.get("name")):
            user_id = str(user.get("userId") or user.get("email") or user.get("name"))
            users.append({"userId": user_id, "name": str(user.get("name") or user_id)})
    if not users:
        users.append({"userId": "organizer@example.com", "name": "Organizer"})
    seen: set[str] = set()
    out = []
    for user in users:
        if user["userId"] not in seen:
            seen.add(user["userId"])
            out.append(
                {
                    "id": stable_uuid(conversation_id, "member", user["userId"].lower()),
                    **user,
                    "role": "organizer",
                }
            )
    return out


def _record_stop(
    services: Services, tenant: Tenant, connection_id: str, url: str
) -> tuple[str, dict[str, Any]]:
    now = services.clock.now()
    with services.db.transaction() as session:
        call = calls_repo.get_call(session, tenant, connection_id)
        request = json.loads(call.request_json)
        fired = [
            {**action, "firedAt": iso(now), "summaryUrl": url, "delivered": False}
            for action in request.get("actions") or []
            if isinstance(action, dict) and action.get("name") == "sendSummaryEmail"
        ]
        calls_repo.stop_call(session, call, actions=fired, now=now)
        return call.conversation_id, request


def check_active(services: Services, tenant: Tenant, connection_id: str) -> str:
    """The conversation id of an active call of the tenant (NotFound otherwise)."""
    with services.db.session() as session:
        return calls_repo.get_call(session, tenant, connection_id).conversation_id


async def stop(services: Services, tenant: Tenant, connection_id: str, base: str) -> dict[str, Any]:
    """Stop a call: flush its transcript, complete the conversation, close listeners; returns summaryInfo."""
    conversation_id = await anyio.to_thread.run_sync(lambda: check_active(services, tenant, connection_id))
    url = summary_url(base, conversation_id)
    call = calls(services).pop(connection_id, None)
    if call is not None:
        if call.task is not None:
            call.task.cancel()
        await call.handle(call.session.stop())
        await call.pipeline.finish()
        for message in call.session.closing_messages(url):
            await call.publish(message)
        call.hub.close_subscribers(connection_id)
        call.hub.release(connection_id)
    else:  # started by an earlier run of the server: nothing live, complete what was stored
        await anyio.to_thread.run_sync(
            lambda: live_service.refresh_insights(
                services, tenant, conversation_id, status=JobStatus.COMPLETED
            )
        )
    _, request = await anyio.to_thread.run_sync(lambda: _record_stop(services, tenant, connection_id, url))
    users = _summary_users(request, conversation_id)
    return {
        **_urls(base, connection_id),
        "connectionId": connection_id,
        "conversationId": conversation_id,
        "summaryInfo": [{"user": user, "url": url} for user in users],
    }


async def push_event(services: Services, tenant: Tenant, connection_id: str, data: dict[str, Any]) -> None:
    """A speaker event over REST (`POST /v1/event/{connectionId}`)."""
    await anyio.to_thread.run_sync(lambda: check_active(services, tenant, connection_id))
    call = calls(services).get(connection_id)
    if call is not None:
        call.on_event(data)


def recorded_actions(services: Services, tenant: Tenant) -> list[dict[str, Any]]:
    """Every call of the tenant with the summary e-mails it would have sent (for tests and the control plane)."""
    with services.db.session() as session:
        return [
            {
                "connectionId": c.id,
                "conversationId": c.conversation_id,
                "status": c.status,
                "actions": json.loads(c.actions_json),
            }
            for c in calls_repo.list_calls(session, tenant)
        ]
