"""The access log: one helper that views call, plus the authentication events."""

from __future__ import annotations

import ipaddress
import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver

from alexi.models import AccessAction, AccessLog

logger = logging.getLogger("alexi.audit")


def client_address(request) -> str | None:
    """The caller's address: REMOTE_ADDR, or behind PROXY_COUNT trusted proxies the entry
    they appended to X-Forwarded-For (never the client-controlled left-most one)."""
    if request is None:
        return None
    from django.conf import settings

    candidate = request.META.get("REMOTE_ADDR", "")
    if settings.PROXY_COUNT > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= settings.PROXY_COUNT:
            candidate = forwarded[-settings.PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def lockout_address(request) -> str | None:
    """The address django-axes locks on: IPv6 by /64, so rotating addresses does not help."""
    address = client_address(request)
    if address and ":" in address:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return address


def record_access(
    request,
    action: str,
    *,
    obj=None,
    object_type: str = "",
    object_id: str | int = "",
    user=None,
    user_label: str = "",
    terms: str = "",
    object_ids: list[int] | None = None,
) -> AccessLog:
    """Append one row to the access log. Never pass case content: only types and ids, and for
    a search what was typed (`terms`) and the ids of the `object_type` records it listed."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    label = user_label or (user.email if user is not None else "")
    return AccessLog.objects.create(
        user=user,
        user_label=label[:254],
        action=action,
        object_type=object_type[:60],
        object_id=str(object_id)[:64],
        address=client_address(request),
        path=_route(request),
        terms=terms[:200],
        object_ids=object_ids,
    )


def _route(request) -> str:
    """The URL pattern, not the path: paths can carry tokens (invitations, password resets)."""
    if request is None:
        return ""
    match = getattr(request, "resolver_match", None)
    return (match.route if match is not None else "")[:300]


@receiver(user_login_failed)
def _log_sign_in_failed(sender, credentials, request=None, **kwargs):
    attempted = str(credentials.get("email") or credentials.get("username") or "")
    record_access(request, AccessAction.SIGN_IN_FAILED, user_label=attempted.lower(), user=None)


@receiver(user_locked_out)
def _log_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    record_access(request, AccessAction.LOCKED_OUT, user_label=(username or "").lower())
    logger.warning("Sign-in paused for %s from %s after repeated failures", username, ip_address)


@receiver(user_logged_out)
def _log_sign_out(sender, request=None, user=None, **kwargs):
    if user is not None:
        record_access(request, AccessAction.SIGN_OUT, user=user)
