"""Wire helpers shared by the areas: query parameters carrying JSON or booleans, and the answer contract."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, TypeVar

from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from mock_symbl.errors import BadRequest, PayloadTooLarge, validation_message

M = TypeVar("M", bound=BaseModel)


def _coerce(value: str) -> Any:
    text = value.strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if text[:1] in ("[", "{"):
        try:
            return json.loads(text)
        except ValueError:
            if text.startswith("[") and text.endswith("]"):
                # Go SDK style: customVocabulary=[a,b] (no quotes)
                return [p.strip().strip("\"'") for p in text[1:-1].split(",") if p.strip()]
    return value


def query_values(params: QueryParams, names: Iterable[str]) -> dict[str, Any]:
    """Known parameters from the query string: booleans, JSON arrays/objects, repeated keys as lists."""
    out: dict[str, Any] = {}
    for name in names:
        # `name=` is how query-string clients say "not set" (the Go SDK sends `webhookUrl=`): skipped.
        values = [v for v in params.getlist(name) if v.strip()]
        if not values:
            continue
        if len(values) > 1:
            out[name] = [_coerce(v) for v in values]
        else:
            out[name] = _coerce(values[0])
    return out


def validate(model: type[M], data: Any, *, joi: bool = False) -> M:
    """Validate `data` into `model`, turning errors into Symbl's 400 naming the field (see validation_message)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BadRequest(validation_message(list(exc.errors()), joi=joi)) from exc


def json_bytes(content: Any) -> bytes:
    """JSON as FastAPI/Starlette write it (compact, UTF-8, no NaN), for answers built outside FastAPI."""
    return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


class Answer(BaseModel):
    """Base of every response model: the field types are the ones the official SDKs declare.

    Keys a model does not declare still pass (a missing declaration must not turn an answer into a 500);
    tests/strict.py checks that real answers carry none.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class AnswerRoute(APIRoute):
    """Route class of the API routers: the answer is validated and typed by the route's response model and
    carries exactly the keys the service set (an optional field left unset is omitted, never sent as null)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        kwargs["response_model_exclude_unset"] = True
        super().__init__(path, endpoint, **kwargs)


MAX_BODY_BYTES = 1024 * 1024  # the Management API's documented limit
MSG_TOO_LARGE = "Request Entity Too Large: the request body must not exceed 1 MB."
MSG_MALFORMED = "Malformed JSON in request body."
MSG_NUMBER = "Numbers in the request body must be finite and at most 2^53 - 1 in magnitude."
_MAX_SAFE = 2**53 - 1


class _NumberOutOfRange(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; accepting them would make the answer unserialisable.
    raise ValueError(f"{name} is not valid JSON")


def _safe_int(text: str) -> int:
    if len(text) > 17 or abs(int(text)) > _MAX_SAFE:
        raise _NumberOutOfRange(text)
    return int(text)


def _safe_float(text: str) -> float:
    value = float(text)
    if math.isinf(value) or abs(value) > _MAX_SAFE:
        raise _NumberOutOfRange(text)
    return value


def check_json(raw: bytes) -> None:
    """400 unless `raw` is JSON every client can read back: no NaN/Infinity, numbers within 2^53, UTF-8 text."""
    try:
        parsed = json.loads(
            raw, parse_constant=_reject_constant, parse_int=_safe_int, parse_float=_safe_float
        )
        # Lone surrogates ("\ud800") parse but cannot be stored or answered as UTF-8.
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except _NumberOutOfRange:
        raise BadRequest(MSG_NUMBER) from None
    except (ValueError, UnicodeError, RecursionError):
        raise BadRequest(MSG_MALFORMED) from None


class CappedJsonRoute(AnswerRoute):
    """AnswerRoute of the Management and bookmark APIs: the JSON body is at most 1 MB (413) and strict JSON
    (400), checked before FastAPI parses it into the route's request model; validation errors are worded as
    Symbl's Joi validation did. A body without a content type is read as JSON, as Symbl did."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        kwargs["strict_content_type"] = False
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:
            return handler

        async def checked(request: Request) -> Response:
            declared = request.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
                raise PayloadTooLarge(MSG_TOO_LARGE)
            raw = await request.body()  # Starlette keeps it: FastAPI reads the same bytes next
            if len(raw) > MAX_BODY_BYTES:
                raise PayloadTooLarge(MSG_TOO_LARGE)
            if raw.strip():
                check_json(raw)
            try:
                return await handler(request)
            except RequestValidationError as exc:
                raise BadRequest(validation_message(list(exc.errors()), joi=True)) from None

        return checked
