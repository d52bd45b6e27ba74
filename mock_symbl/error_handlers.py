"""The one place that renders errors as Symbl's `{"message": ...}` body (the FastAPI/Starlette handlers)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from mock_symbl.errors import (
    MSG_BAD_REQUEST,
    MSG_SERVER_ERROR,
    BadRequest,
    MethodNotAllowed,
    NotFound,
    SymblError,
    validation_message,
)


def error_response(error: SymblError) -> JSONResponse:
    return JSONResponse(status_code=error.status_code, content=error.body())


async def _symbl_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SymblError)
    return error_response(exc)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(BadRequest(validation_message(list(exc.errors()))))


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    if status == 404:
        detail = exc.detail if exc.detail and exc.detail != "Not Found" else "Route not found."
        return error_response(NotFound(str(detail)))
    if status == 405:
        return error_response(MethodNotAllowed())
    detail = exc.detail if isinstance(exc.detail, str) else MSG_BAD_REQUEST
    headers = getattr(exc, "headers", None)
    return JSONResponse(status_code=status, content={"message": detail}, headers=headers)


async def _unhandled(_: Request, exc: Exception) -> JSONResponse:
    # A bug still answers in Symbl's shape; the traceback goes to the server log via uvicorn.
    return JSONResponse(status_code=500, content={"message": MSG_SERVER_ERROR})


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers so every error body is `{"message": ...}`."""
    app.add_exception_handler(SymblError, _symbl_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unhandled)
