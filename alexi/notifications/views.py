"""The notifications page, the bell's count, the email summary and calendar feed choices on
the account page, and the calendar feed itself (by its secret address, no sign-in)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from alexi.access import role_of
from alexi.locking import StaleEdit
from alexi.middleware import second_factor_not_required
from alexi.models import Role, User
from alexi.notifications import calendar, selectors, services
from alexi.notifications.forms import DigestForm
from alexi.notifications.models import NotificationPreference

PAGE_SIZE = 20
# htmx stops polling when answered with this status (the person is signed out).
HTMX_STOP_POLLING = 286


def _signed_in_with_role(request: HttpRequest) -> None:
    if role_of(request.user) is None:
        raise PermissionDenied


@require_GET
def notifications(request):
    _signed_in_with_role(request)
    page = Paginator(selectors.notifications_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/list.html",
        {
            "title": "Notifications",
            "page": page,
            "items": selectors.shown(request.user, list(page.object_list)),
            "unread": selectors.unread_count(request.user),
        },
    )


@require_POST
def read_all(request):
    _signed_in_with_role(request)
    marked = services.mark_all_read(user=request.user)
    if marked:
        messages.success(request, "All your notifications are marked as read.")
    return redirect("notifications:list")


@require_POST
def notification_open(request, notification_id: int):
    """Mark one read, then go to what it is about (or back to the list if that cannot be
    opened any more)."""
    _signed_in_with_role(request)
    notification = services.mark_read(user=request.user, notification_id=notification_id)
    if notification is None:
        raise Http404
    [item] = selectors.shown(request.user, [notification])
    if item.url is None:
        messages.info(request, "You can no longer open what that notification was about.")
        return redirect("notifications:list")
    return redirect(item.url)


@login_not_required
@second_factor_not_required
@require_GET
def bell(request):
    """The header's bell, asked again by htmx every minute. Asking is not activity: the
    session is not renewed by it, so a page left open still signs out after the idle time."""
    if role_of(request.user) is None:
        return HttpResponse(status=HTMX_STOP_POLLING)
    request.session.save = _not_renewed  # type: ignore[method-assign]
    return render(
        request,
        "includes/header_bell.html",
        {"alexi_role": role_of(request.user), "alexi_unread": selectors.unread_count(request.user)},
    )


def _not_renewed(must_create: bool = False) -> None:
    """Stands in for the session's save on a bell poll (SessionMiddleware saves every
    request, which would push the idle expiry on for as long as a tab is open)."""


def account_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    """What the account page shows of notifications: the summary choice and the feed."""
    user = request.user
    if not isinstance(user, User):  # the account page is for signed-in people only
        raise PermissionDenied
    preference = NotificationPreference.objects.filter(user=user).first()
    form = extra.pop("digest_form", None) or DigestForm(
        initial={
            "digest": preference.digest if preference else "off",
            # A person with no choice saved yet has the default, as version 1 will hold it.
            "version": preference.version if preference else 1,
        }
    )
    return {
        "digest_form": form,
        "calendar_on": bool(preference and preference.calendar_token_hash),
        "calendar_made_at": preference.calendar_made_at if preference else None,
        **extra,
    }


def _account(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    from alexi.selectors import person_has_second_factor

    if not isinstance(request.user, User):
        raise PermissionDenied
    return render(
        request,
        "home/account.html",
        {
            "title": "Your account",
            "has_second_factor": person_has_second_factor(request.user),
            **account_context(request, **extra),
        },
        status=status,
    )


@require_POST
def digest(request):
    _signed_in_with_role(request)
    form = DigestForm(request.POST)
    if not form.is_valid():
        return _account(request, status=400, digest_form=form)
    try:
        services.digest_set(
            user=request.user,
            digest=form.cleaned_data["digest"],
            version=form.cleaned_data["version"] or 1,
        )
    except StaleEdit as stale:
        saved = stale.current
        current = saved.get_digest_display()
        form = DigestForm(initial={"digest": saved.digest, "version": saved.version})
        return _account(
            request,
            status=409,
            digest_form=form,
            digest_stale=f"Your email summary was changed on another page while this one was "
            f"open: it is now “{current}”. Nothing was changed here; choose again if you want.",
        )
    messages.success(request, "Your email summary choice is saved.")
    return redirect(reverse("alexi:account") + "#notifications")


@require_POST
def calendar_feed(request):
    """Make a calendar feed address (or a new one: the old one stops working), or turn the
    feed off. The address is shown once, on the page this answers with. For spoke workers:
    the feed holds the sessions and reviews of the cases they hold."""
    if role_of(request.user) != Role.SPOKE_WORKER:
        raise PermissionDenied
    action = request.POST.get("action")
    if action == "make":
        token = services.calendar_feed_make(user=request.user, request=request)
        url = settings.SITE_URL.rstrip("/") + reverse("notifications:calendar", args=[token])
        return _account(request, calendar_url=url)
    if action == "off":
        if services.calendar_feed_off(user=request.user, request=request):
            messages.success(request, "Your calendar feed is off: its address no longer works.")
        return redirect(reverse("alexi:account") + "#calendar")
    return _account(request, status=400, calendar_error="Choose what to do with the feed.")


@login_not_required
@require_GET
def calendar_ics(request, token: str):
    """The feed, for a calendar app (no sign-in: the secret address is the key). An unknown,
    reset or turned-off address, or a deactivated person's, answers 404 like any other."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    preference = (
        NotificationPreference.objects.select_related("user")
        .filter(calendar_token_hash=digest, user__is_active=True)
        .first()
    )
    if preference is None:
        raise Http404
    response = HttpResponse(
        calendar.feed_for(preference.user), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="alexi.ics"'
    return response
