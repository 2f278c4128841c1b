"""Request guards: security headers, session limits and the mandatory second factor."""

from __future__ import annotations

import codecs
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse


class SecurityHeadersMiddleware:
    """Permissions-Policy everywhere; `Cache-Control: no-store` on every page (not static)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if not request.path.startswith(settings.STATIC_URL):
            response.headers["Cache-Control"] = "no-store, max-age=0"
            response.headers["Pragma"] = "no-cache"
        return response


class RequestEncodingMiddleware:
    """A request naming a character set Python does not know gets a 400, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = request.content_params.get("charset") if request.content_params else None
        if charset:
            try:
                codecs.lookup(charset)
            except LookupError:
                return HttpResponseBadRequest(
                    "The request named an unknown character set. Nothing was saved.",
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


class SessionLimitsMiddleware:
    """Ends a session 12 hours after sign-in, however active (idle expiry is the cookie age)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get("signed_in_at")
            now = time.time()
            if started is None:
                request.session["signed_in_at"] = now
            elif now - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, "You were signed out after 12 hours. Please sign in again.")
                return redirect("alexi:sign_in")
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """A user who has given only their password may reach the code pages and nothing else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if getattr(view_func, "second_factor_not_required", False):
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        from django_otp import user_has_device

        target = "alexi:second_factor" if user_has_device(user) else "alexi:second_factor_setup"
        return redirect(f"{reverse(target)}")


def second_factor_not_required(view):
    """Mark a view as reachable after the password step, before the second factor."""
    view.second_factor_not_required = True
    return view
