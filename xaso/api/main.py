"""The JSON API under ``/api/v1`` (django-ninja), with one documented error shape::

    {"error": {"code": "not_found", "message": "…", "details": [{"field": "…", "message": "…"}]}}

Routers live in each domain app (``xaso/<app>/api.py``) and are mounted here.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from xaso.api.auth import STAFF_AUTH
from xaso.lib.errors import XasoError

api = NinjaAPI(
    title="Xã Số API",
    version="1",
    description="Catalog, dossiers and insights for commune public administrative service centers.",
    auth=STAFF_AUTH,
    urls_namespace="api",
)


def error_body(code: str, message: str, details: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


@api.exception_handler(XasoError)
def _xaso_error(request: HttpRequest, exc: XasoError) -> HttpResponse:
    details = [{"field": exc.field, "message": exc.message}] if exc.field else []
    status = {"not_authenticated": 401, "rate_limited": 429}.get(exc.code, exc.status)
    return api.create_response(request, error_body(exc.code, exc.message, details), status=status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    details = []
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", []) if part not in ("body", "query", "path")]
        details.append({"field": ".".join(loc) or "request", "message": str(err.get("msg", "invalid"))})
    message = "; ".join(f"{d['field']}: {d['message']}" for d in details) or "Invalid request."
    return api.create_response(request, error_body("invalid", message, details), status=422)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = error_body("not_authenticated", "Sign in or send a valid API token.")
    return api.create_response(request, body, status=401)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("not_found", str(exc) or "Not found."), status=404)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, error_body("http_error", str(exc)), status=exc.status_code)


def _mount_routers() -> None:
    from xaso.accounts.api import router as accounts_router
    from xaso.assistant.api import router as assistant_router
    from xaso.catalog.api import router as catalog_router
    from xaso.dossiers.api import router as dossiers_router
    from xaso.insights.api import router as insights_router
    from xaso.places.api import router as places_router
    from xaso.planning.api import router as planning_router
    from xaso.workforce.api import router as workforce_router

    api.add_router("/", accounts_router)
    api.add_router("/", places_router)
    api.add_router("/", catalog_router)
    api.add_router("/", dossiers_router)
    api.add_router("/", assistant_router)
    api.add_router("/", workforce_router)
    api.add_router("/", insights_router)
    api.add_router("/", planning_router)


_mount_routers()
