"""What every page needs: the signed-in user's role, navigation and the demo banner."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.urls import reverse

from alexi.access import role_of
from alexi.models import Role
from alexi.notifications.selectors import cached_unread_count

HOME_TITLES = {
    Role.SPOKE_WORKER: "My caseload",
    Role.HUB_MANAGER: "Hub overview",
    Role.FUNDER: "Returns",
    Role.PROGRAMME_ADMIN: "Programme",
}


def navigation_for(role: str | None) -> list[tuple[str, str]]:
    """(label, url) pairs for the header navigation, by role."""
    if role is None:
        return []
    items = [(HOME_TITLES[role], reverse("alexi:home"))]
    if role == Role.HUB_MANAGER:
        items += [
            ("Referrals", reverse("referrals:referral_queue")),
            ("Hub caseload", reverse("casework:hub_cases")),
        ]
    if role in (Role.SPOKE_WORKER, Role.HUB_MANAGER):
        items.append(("Training and groupwork", reverse("training:activities")))
    if role == Role.SPOKE_WORKER:
        items.append(("Record a referral", reverse("referrals:referral_new")))
    if role in (Role.HUB_MANAGER, Role.PROGRAMME_ADMIN):
        items.append(("Returns", reverse("reporting:returns")))
        items.append(("Import", reverse("imports:imports")))
    if role == Role.PROGRAMME_ADMIN:
        items += [
            ("People", reverse("alexi:people")),
            ("Sign-in log", reverse("alexi:sign_in_log")),
            ("Access requests", reverse("alexi:access_requests")),
            ("Programme structure", reverse("alexi:structure")),
        ]
    items.append(("Your account", reverse("alexi:account")))
    return items


def alexi(request):
    user = getattr(request, "user", None)
    role = role_of(user) if user is not None else None
    return {
        "alexi_role": role,
        "alexi_role_label": Role(role).label if role else "",
        "alexi_nav": navigation_for(role),
        "alexi_demo": settings.DEMO_MODE,
        "alexi_current_path": request.path,
        # The header's bell: the cached count (one cache read, no query), or None when it is not
        # in the cache (the bell then asks for it once the page has loaded). Called only when
        # the bell shows.
        "alexi_unread": partial(cached_unread_count, user) if role else 0,
    }
