"""Create forms carry a one-time token, so a form sent twice saves once.

Every page whose form creates a record is wrapped in `once_only`. Showing the form issues a
token (signed, naming the person it was issued to); the page renders it as a hidden field
(templates/includes/submission_token.html). A valid POST spends the token by inserting a row
with a unique constraint in the same transaction as the record it makes, so a second POST with
the same token (Back then Save, a double click, a duplicated tab, even at the same instant)
waits for the first, finds the row, and is answered "already saved" with a link to what was
made, never saving twice. A missing, damaged, too old or someone else's token saves nothing:
the form comes back with the person's entries and a message saying why.
static/alexi/submissions.js keeps the token with the page's history entry, so Back brings the
same token back, and turns a page that answered a POST into an ordinary entry, so Back or
reload never asks to send the form again.
"""

from __future__ import annotations

import contextvars
import secrets
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import render

from alexi.submissions.models import SpentToken

FIELD = "submission_token"
MAX_AGE = timedelta(days=7)  # sessions end after 12 hours, so a real form is never this old
_SALT = "alexi.submissions"
_signer = signing.TimestampSigner(salt=_SALT)

# The reason the token of the request being answered cannot be used, for the form to show.
_problem: contextvars.ContextVar[str] = contextvars.ContextVar("submission_problem", default="")

MISSING = (
    "This form was sent without the check Alexi adds to every form, so nothing was saved. "
    "Check your entries and press the button again."
)
DAMAGED = (
    "This form could not be checked, so nothing was saved. Check your entries and press the "
    "button again."
)
TOO_OLD = (
    "This form was opened more than 7 days ago, so nothing was saved. Check your entries and "
    "press the button again."
)
NOT_YOURS = (
    "This form was opened by someone else signed in on this device, so nothing was saved. "
    "Check the entries are yours and press the button again."
)


def issue(user) -> str:
    """A new token for `user`, to send with a form that creates a record."""
    return _signer.sign(f"{user.pk}.{secrets.token_urlsafe(16)}")


def read(token: str, user) -> tuple[str, str]:
    """(the token's random part, "") if `user` may spend it, else ("", why not)."""
    if not token:
        return "", MISSING
    try:
        value = _signer.unsign(token, max_age=MAX_AGE)
    except signing.SignatureExpired:
        return "", TOO_OLD
    except signing.BadSignature:
        return "", DAMAGED
    owner, _, nonce = value.partition(".")
    if not nonce:
        return "", DAMAGED
    if owner != str(user.pk):
        return "", NOT_YOURS
    return nonce, ""


def problem() -> str:
    """Why the token sent with the form being answered cannot be used ("" when it can)."""
    return _problem.get()


def _saved(response) -> str | None:
    """Where what the view made is shown, or None when it saved nothing: every create view
    answers a valid form with a redirect (so Back never sends it again), and an error with
    the form again."""
    if getattr(response, "nothing_saved", False):
        return None  # a redirect that saved nothing (the session had to end)
    if response.status_code in (301, 302, 303):
        return response["Location"]
    return None


def once_only(view=None, *, what: str = "this", unless: str | None = None):
    """Wrap a view whose valid POST creates a record: its form is saved once per token.
    `what` names the record ("the session") on the "already saved" page; `unless` names a URL
    argument that means the same view is changing a record, not creating one."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if unless is not None and kwargs.get(unless) is not None:
                return view(request, *args, **kwargs)
            if request.method != "POST":
                request.submission_token = issue(request.user)
                return view(request, *args, **kwargs)
            nonce, why = read(request.POST.get(FIELD, ""), request.user)
            if why:
                return _refuse(view, request, args, kwargs, why)
            request.submission_token = request.POST[FIELD]
            return _spend(view, request, args, kwargs, nonce, what)

        return wrapped

    return decorate(view) if view is not None else decorate


def _refuse(view, request, args, kwargs, why: str):
    """Answer the form without saving: its form shows `why` (GovukFormMixin adds it), with a
    new token so that pressing the button again works."""
    request.submission_token = issue(request.user)
    reset = _problem.set(why)
    try:
        with transaction.atomic():
            response = view(request, *args, **kwargs)
            if _saved(response) is None:
                return response
            # A form that did not show the problem (it should): never keep what it saved.
            transaction.set_rollback(True)
    finally:
        _problem.reset(reset)
    list(messages.get_messages(request))  # drop the "saved" message of the undone save
    return render(
        request,
        "submissions/not_saved.html",
        {"title": "Nothing was saved", "why": why, "form_url": request.path},
        status=400,
    )


def _spend(view, request, args, kwargs, nonce: str, what: str):
    with transaction.atomic():
        try:
            # Unique: a second sending of this form waits here until the first has finished,
            # then fails (and is answered below) if the first saved.
            with transaction.atomic():
                spent = SpentToken.objects.create(
                    token=nonce, user=request.user, path=request.path[:500]
                )
        except IntegrityError:
            spent = None
        if spent is not None:
            response = view(request, *args, **kwargs)
            url = _saved(response)
            if url is None:
                spent.delete()  # nothing was saved: the form may be sent again
            else:
                spent.made_url = url[:500]
                spent.save(update_fields=["made_url"])
            return response
    first = SpentToken.objects.filter(token=nonce, user=request.user).first()
    return render(
        request,
        "submissions/already_saved.html",
        {"title": "Already saved", "what": what, "spent": first, "form_url": request.path},
    )
