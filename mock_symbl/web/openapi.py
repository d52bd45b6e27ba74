"""The published OpenAPI document (Symbl's error bodies, auth schemes) and an offline /docs page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.routing import APIRoute

from mock_symbl.deps import get_tenant
from mock_symbl.routes import iter_routes

DOCS_PATHS = ("/docs", "/docs/oauth2-redirect", "/redoc")
SWAGGER_FILES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}
ERROR_SCHEMA = {
    "type": "object",
    "title": "Error",
    "description": 'Every error answers {"message": ...} (429 from the Async API adds statusCode).',
    "properties": {"message": {"type": "string"}, "statusCode": {"type": "integer"}},
    "required": ["message"],
}
ERROR_TEXT = {
    "400": "Bad request: a field is missing or invalid.",
    "401": "Token validation failed for provided token.",
    "404": "Not found.",
}


def _needs_token(dependant: Dependant) -> bool:
    return any(dep.call is get_tenant or _needs_token(dep) for dep in dependant.dependencies)


def _error(code: str) -> dict[str, Any]:
    return {
        "description": ERROR_TEXT[code],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document plus what clients need: auth schemes and the 400/401/404 `{"message"}` answers.

    FastAPI documents a 422 for every route with parameters; the mock never sends it (validation errors
    are Symbl's 400), so it is replaced.
    """
    spec = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    components = spec.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    components["securitySchemes"] = {
        "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        "apiKeyAuth": {"type": "apiKey", "in": "header", "name": "x-api-key"},
    }
    secured: set[tuple[str, str]] = set()
    for info in iter_routes(app):
        path, route = info.path, info.route
        if isinstance(route, APIRoute) and _needs_token(route.dependant):
            secured.update((path, m.lower()) for m in route.methods or ())
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            responses = op.setdefault("responses", {})
            had_validation = responses.pop("422", None) is not None
            if had_validation or op.get("requestBody"):
                responses.setdefault("400", _error("400"))
            if (path, method) in secured:
                op["security"] = [{"bearerAuth": []}, {"apiKeyAuth": []}]
                responses.setdefault("401", _error("401"))
            if "{" in path:
                responses.setdefault("404", _error("404"))
    schemas = components["schemas"]
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    return spec


def install(app: FastAPI) -> None:
    """Replace FastAPI's CDN-backed /docs with one served from the swagger-ui-bundle package, and openapi()."""
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) not in DOCS_PATHS]

    built_for: list[int] = []

    def openapi() -> dict[str, Any]:
        version = len(iter_routes(app))  # rebuilt if routes are added after the first call
        if app.openapi_schema is None or built_for != [version]:
            app.openapi_schema = build_openapi(app)
            built_for[:] = [version]
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    swagger = Path(swagger_ui_bundle.swagger_ui_path)  # a declared dependency: Swagger UI served offline

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Swagger UI for /openapi.json, served offline."""
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} API docs",
            swagger_js_url="/docs/static/swagger-ui-bundle.js",
            swagger_css_url="/docs/static/swagger-ui.css",
            swagger_favicon_url="/docs/static/favicon-32x32.png",
        )

    @app.get("/docs/static/{name}", include_in_schema=False)
    def docs_static(name: str) -> Response:
        """Swagger UI's files from the swagger-ui-bundle package."""
        media_type = SWAGGER_FILES.get(name)
        if media_type is None:
            return Response(
                status_code=404, content=b'{"message": "Not found."}', media_type="application/json"
            )
        return FileResponse(
            swagger / name, media_type=media_type, headers={"Cache-Control": "public, max-age=3600"}
        )
