"""Quarterly returns on Celery beat: a thin adapter over reporting.returns (idempotent)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from reporting.returns import generate_quarter, previous_quarter


@shared_task(name="reporting.generate_returns", acks_late=True)
def generate_returns(
    quarter: str | None = None, actor_id: int | None = None, regenerate: bool = False
) -> list[str]:
    """Make the quarter's returns (default: the quarter just ended). Running it twice, or a
    redelivered message, makes no duplicate; `regenerate` makes new versions."""
    from alexi.history import acting_as
    from alexi.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    with acting_as(actor):
        return generate_quarter(
            quarter or previous_quarter(timezone.localdate()), actor=actor, regenerate=regenerate
        )
