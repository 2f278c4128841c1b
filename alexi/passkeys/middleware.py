"""Someone whose role needs a passkey and who signed in without having one is sent to add one
before anything else. Worked out once at sign-in (kept in the session), so no page pays a query
for it."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect

PASSKEY_NEEDED_KEY = "alexi_passkey_needed"
# Until when a passkey, used on a "confirm it is you" form, stands in for the code there.
PASSKEY_CONFIRMED_KEY = "alexi_passkey_confirmed_until"


def passkey_not_required(view):
    """Mark a view as reachable by someone who still has to add the passkey their role needs."""
    view.passkey_not_required = True
    return view


class PasskeyRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        session = getattr(request, "session", None)
        if session is None or not session.get(PASSKEY_NEEDED_KEY):
            return None
        if getattr(view_func, "passkey_not_required", False) or getattr(
            view_func, "second_factor_not_required", False
        ):
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        return redirect("passkey_add")
