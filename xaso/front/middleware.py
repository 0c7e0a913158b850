"""Turn domain errors raised in views into plain pages with the right status."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xaso.lib.errors import XasoError


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None  # the API has its own handlers and error shape
        if not isinstance(exception, XasoError):
            return None
        if exception.code == "not_authenticated":
            return redirect_to_login(request.get_full_path())
        return render(request, "front/error.html", {"error": exception}, status=exception.status)
