"""The exception tree every service raises, and Symbl's error texts.

Pure: no web framework here, so store/ and the pure cores can raise these. The handlers that render them as
`{"message": ...}` responses live in `error_handlers.py`.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

# Texts Symbl used (rest.md §2.4, §5); kept verbatim, typos included.
MSG_BAD_REQUEST = "Bad Request! Please refer docs for correct input fields."
MSG_UNAUTHORIZED = "Token validation failed for provided token."
MSG_NOT_FOUND = (
    "The conversation and/or it's metadata you asked could not be found, please check the input provided"
)
MSG_CONVERSATION_NOT_FOUND = "The conversationId is either invalid or does not exist."
MSG_SERVER_ERROR = "Something went wrong! Please contact support@symbl.ai"


class SymblError(Exception):
    """Base of every error the API answers with; `status_code` + Symbl's body."""

    status_code = 500
    default_message = MSG_SERVER_ERROR

    def __init__(self, message: str | None = None, *, extra: dict[str, Any] | None = None) -> None:
        self.message = message or self.default_message
        self.extra = extra or {}
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        return {"message": self.message, **self.extra}


class BadRequest(SymblError):
    status_code = 400
    default_message = MSG_BAD_REQUEST


class Unauthorized(SymblError):
    status_code = 401
    default_message = MSG_UNAUTHORIZED


class Forbidden(SymblError):
    status_code = 403
    default_message = "Forbidden."


class NotFound(SymblError):
    status_code = 404
    default_message = MSG_NOT_FOUND


class MethodNotAllowed(SymblError):
    status_code = 405
    default_message = "Method not allowed."


class Conflict(SymblError):
    status_code = 409
    default_message = "Conflict."


class PayloadTooLarge(SymblError):
    status_code = 413
    default_message = "Request entity too large."


def too_large(limit: int) -> PayloadTooLarge:
    """The 413 of a body over `limit` bytes (the edge guard and the streamed import say the same)."""
    return PayloadTooLarge(f"Request entity too large: the body must not exceed {limit} bytes.")


class UnsupportedMediaType(SymblError):
    status_code = 415
    default_message = "Unsupported media type."


class TooManyRequests(SymblError):
    status_code = 429
    default_message = "Too many requests."

    def body(self) -> dict[str, Any]:
        # The Async API documents statusCode inside the body of its 429 (rest.md §3).
        return {"statusCode": 429, "message": self.message, **self.extra}


class ServiceUnavailable(SymblError):
    status_code = 503
    default_message = "Service unavailable."


# Tags of a body that may be a JSON object or an array (manage.schemas.one_or_many): not part of a field name.
BODY_SHAPES = ("object", "array")


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    # FastAPI locations look like ("body", "messages", 0, "payload"); drop the container name.
    if len(loc) > 1 and loc[0] == "body" and loc[1] in BODY_SHAPES:
        loc = (loc[0], *loc[2:])
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    out = ""
    for part in parts:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out or "body"


# The error type of a validator's own complete sentence (see `rule_violation`), passed through verbatim.
RULE_ERROR = "symbl_rule"

# pydantic error types and the Joi words Symbl's Management and bookmark APIs answered with (`joi=True`).
_TYPE_WORDS = {
    "string_type": "must be a string",
    "list_type": "must be an array",
    "bool_type": "must be a boolean",
    "int_type": "must be an integer",
    "int_from_float": "must be an integer",
    "float_type": "must be a number",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "extra_forbidden": "is not allowed",
}


_BOUND_WORDS = {
    "greater_than": ("greater than", "gt"),
    "greater_than_equal": ("greater than or equal to", "ge"),
    "less_than": ("less than", "lt"),
    "less_than_equal": ("less than or equal to", "le"),
}


def validation_message(errors: list[Any], *, joi: bool = False) -> str:
    """Turn pydantic/FastAPI errors into one Joi-like sentence naming the offending field.

    `joi=True` words type errors, unknown keys and wrong choices as Joi did ('"name" must be a string').
    """
    if not errors:
        return MSG_BAD_REQUEST
    first = errors[0]
    field = _field_name(tuple(first.get("loc", ())))
    kind = first.get("type", "")
    if kind == RULE_ERROR:
        return str(first.get("msg", MSG_BAD_REQUEST))
    if kind == "missing":
        return f'"{field}" is required'
    if kind == "json_invalid":
        return "Malformed JSON in request body."
    if field == "body" and kind in ("model_attributes_type", "dict_type", "model_type"):
        return "The request body must be a JSON object."
    if kind == "too_short":
        return f'"{field}" must contain at least {first.get("ctx", {}).get("min_length", 1)} items'
    if joi and kind in _BOUND_WORDS:
        words, key = _BOUND_WORDS[kind]
        return f'"{field}" must be {words} {first.get("ctx", {}).get(key)}'
    if joi and kind == "literal_error":
        return f'"{field}" must be one of [{first.get("ctx", {}).get("expected", "")}]'
    if joi and kind in _TYPE_WORDS and field != "body":
        return f'"{field}" {_TYPE_WORDS[kind]}'
    msg = str(first.get("msg", "is invalid"))
    return f'"{field}" is invalid: {msg}'


def rule_violation(message: str) -> PydanticCustomError:
    """Raise from a pydantic validator: `message` (a sentence naming its field) becomes the 400's message."""
    return PydanticCustomError(RULE_ERROR, "{message}", {"message": message})
