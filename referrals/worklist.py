"""The work list's referral items (issue 13 item 2): referrals of a manager's hubs waiting for
a decision more than WORKLIST_REFERRAL_WORKING_DAYS working days (alexi.workdays)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.urls import reverse

from alexi.access import managed_hub_ids, role_of
from alexi.hooks import Task
from alexi.models import Role, User
from alexi.workdays import add_working_days
from referrals.models import Decision, Referral


def referral_tasks(user: User, today: date) -> list[Task]:
    if role_of(user) != Role.HUB_MANAGER:
        return []
    days = settings.WORKLIST_REFERRAL_WORKING_DAYS
    # Received before this day: more than `days` working days have passed since.
    cutoff = add_working_days(today, -days)
    waiting = (
        Referral.objects.filter(
            hub_id__in=managed_hub_ids(user), decision=Decision.PENDING, received_on__lt=cutoff
        )
        .only("id", "received_on", "first_name")
        .order_by("received_on", "id")
    )
    return [
        Task(
            key=f"referral-{referral.pk}",
            kind="referral_to_decide",
            title=f"Referral waiting more than {days} working days",
            subject=f"{referral.reference} · {referral.first_name}"
            if referral.first_name
            else referral.reference,
            url=reverse("referrals:referral", args=[referral.pk]),
            due=add_working_days(referral.received_on, days),
        )
        for referral in waiting
    ]
