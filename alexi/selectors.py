"""Reads for the programme core (structure only; never case data)."""

from __future__ import annotations

from typing import cast

from django.db.models import Count, Prefetch, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from alexi.models import AccessAction, AccessLog, Hub, HubManagement, Spoke, User, WorkerProfile

AUTH_ACTIONS = [
    AccessAction.SIGN_IN,
    AccessAction.SIGN_IN_FAILED,
    AccessAction.SECOND_FACTOR_FAILED,
    AccessAction.LOCKED_OUT,
    AccessAction.SIGN_OUT,
    AccessAction.SECOND_FACTOR_ENROLLED,
    AccessAction.RECOVERY_CODE_USED,
    AccessAction.PASSWORD_SET,
    AccessAction.SESSIONS_ENDED,
]


def hubs_with_structure(*, hubs: QuerySet[Hub]) -> QuerySet[Hub]:
    """Hubs with their spokes, workers and current managers loaded in a fixed number of queries."""
    return hubs.prefetch_related(
        "home_las",
        Prefetch(
            "spokes",
            queryset=Spoke.objects.select_related("local_authority").prefetch_related(
                Prefetch(
                    "workers",
                    queryset=WorkerProfile.objects.select_related("user").filter(
                        user__is_active=True
                    ),
                )
            ),
        ),
        Prefetch(
            "managements",
            queryset=HubManagement.objects.current()
            .filter(manager__is_active=True)
            .select_related("manager"),
            to_attr="current_managements",
        ),
    )


def people_list() -> QuerySet[User]:
    """Everyone with an account, with what is needed to show their status in one query."""
    return (
        User.objects.select_related("funder", "worker_profile__spoke__local_authority")
        .annotate(
            has_second_factor=Count(
                "totpdevice", filter=Q(totpdevice__confirmed=True), distinct=True
            ),
            hub_count=Count("hub_managements", distinct=True),
        )
        .order_by("full_name")
    )


def person_has_second_factor(user: User) -> bool:
    return cast(bool, TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def sign_in_events() -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(action__in=AUTH_ACTIONS).order_by("-at", "-id")
