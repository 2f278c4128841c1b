"""What imports tell the core's notifications (registered in apps.py): which imports a person
may open now (their own, as the import pages allow)."""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse

from alexi.access import role_of
from alexi.hooks import NotificationTarget
from alexi.models import Role, User
from imports.models import ImportJob


def import_targets(user: User, ids: Collection[int]) -> dict[int, NotificationTarget]:
    if role_of(user) not in (Role.PROGRAMME_ADMIN, Role.HUB_MANAGER):
        return {}  # no longer in a role that imports: the import pages refuse them too
    mine = ImportJob.objects.filter(pk__in=list(ids), created_by=user).values_list("pk", flat=True)
    return {
        pk: NotificationTarget(url=reverse("imports:import_job", args=[pk]), label=str(pk))
        for pk in mine
    }
