"""WebSocket routes of the Streaming and Subscribe APIs (transport only: auth, accept, hand over to the loop)."""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect

from mock_symbl.credentials import token_from_headers, verify_token
from mock_symbl.deps import NAMESPACE_HEADER
from mock_symbl.errors import Unauthorized
from mock_symbl.services import Services
from mock_symbl.streaming import protocol
from mock_symbl.streaming.connection import StreamConnection
from mock_symbl.streaming.hub import CLOSE, FOREIGN_CONNECTION, get_hub
from mock_symbl.tenancy import Tenant

router = APIRouter()


def _candidates(websocket: WebSocket) -> list[str]:
    tokens = [
        websocket.query_params.get("access_token"),
        token_from_headers(websocket.headers.get("authorization"), websocket.headers.get("x-api-key")),
    ]
    tokens += list(websocket.scope.get("subprotocols") or [])
    return [t.strip() for t in tokens if t and t.strip()]


async def accept(websocket: WebSocket) -> Tenant | None:
    """Validate the token (query, x-api-key/Authorization, or the offered subprotocol) and accept.

    A bad or missing token refuses the handshake (HTTP 403), so no session is created. An offered subprotocol
    is echoed: the JS SDK fails the handshake without it.
    """
    services: Services = websocket.app.state.services
    namespace = websocket.headers.get(NAMESPACE_HEADER, "").strip()
    tenant = None
    for token in _candidates(websocket):
        try:
            tenant = verify_token(services, token, namespace)
            break
        except Unauthorized:
            continue
    if tenant is None:
        await websocket.close(code=1008)
        return None
    offered = list(websocket.scope.get("subprotocols") or [])
    await websocket.accept(subprotocol=offered[0] if offered else None)
    return tenant


@router.websocket("/v1/streaming/{connection_id}")
@router.websocket("/v1/realtime/insights/{connection_id}")
async def streaming_socket(websocket: WebSocket, connection_id: str) -> None:
    """Streaming API: start_request, binary audio, stop_request; results come back on the same socket."""
    tenant = await accept(websocket)
    if tenant is not None:
        await StreamConnection(websocket, websocket.app.state.services, tenant, connection_id).run()


@router.websocket("/v1/subscribe/{connection_id}")
@router.websocket("/session/subscribe/{connection_id}")
async def subscribe_socket(websocket: WebSocket, connection_id: str) -> None:
    """Subscribe API / telephony live events: a read-only copy of a connection's events."""
    services: Services = websocket.app.state.services
    hub = get_hub(services)
    tenant = await accept(websocket)
    if tenant is None:
        return
    subscriber = hub.subscribe(
        connection_id, (tenant.account, tenant.namespace), services.settings.streaming_send_buffer_bytes
    )
    if subscriber is None:
        await websocket.close(code=1008, reason=FOREIGN_CONNECTION)
        return
    chan = hub.find(connection_id)
    if chan is not None and chan.conversation_id:
        await websocket.send_text(protocol.dumps(protocol.conversation_created(chan.conversation_id)))

    async def pump() -> None:
        # A send that cannot complete (a client that does not read) is ended by the transport's send timeout.
        while (text := await subscriber.next()) is not CLOSE:
            await websocket.send_text(text)
        with contextlib.suppress(Exception):
            await websocket.close(subscriber.close_code, subscriber.close_reason)

    writer = asyncio.create_task(pump())
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            if message.get("text", "").strip() == protocol.PING:
                await websocket.send_text(protocol.PONG)
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        writer.cancel()
        hub.unsubscribe(connection_id, subscriber)


@router.websocket("/events/{connection_id}")
async def events_socket(websocket: WebSocket, connection_id: str) -> None:
    """Telephony speaker events pushed by the client (the resultWebSocketUrl of endpoint:connect)."""
    services: Services = websocket.app.state.services
    hub = get_hub(services)
    tenant = await accept(websocket)
    if tenant is None:
        return
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            text = message.get("text")
            if text is None:
                continue
            if text.strip() == protocol.PING:
                await websocket.send_text(protocol.PONG)
                continue
            data = protocol.parse_inbound(text).data
            chan = hub.find(connection_id)
            if (
                chan is None
                or chan.on_event is None
                or (chan.account, chan.namespace) != (tenant.account, tenant.namespace)
            ):
                await websocket.send_text(
                    protocol.dumps(protocol.error(f"No connection by connectionId '{connection_id}' found."))
                )
            elif not data:
                await websocket.send_text(
                    protocol.dumps(protocol.error("Malformed event: expected a JSON object."))
                )
            else:
                chan.on_event(dict(data))
    except (WebSocketDisconnect, RuntimeError):
        pass
