"""Quarterly returns on Celery beat: a thin adapter over reporting.returns (idempotent)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from reporting.returns import (
    ended_quarter,
    generate_quarter,
    previous_quarter,
    programme_today,
)


@shared_task(name="reporting.generate_returns", acks_late=True)
def generate_returns(
    quarter: str | None = None, actor_id: int | None = None, regenerate: bool = False
) -> list[str]:
    """Make the quarter's returns (default: the quarter just ended). Running it twice, or a
    redelivered message, makes no duplicate; `regenerate` makes new versions. A quarter that
    has not ended is refused (QuarterNotEnded) before anything is made."""
    from alexi.history import acting_as
    from alexi.models import User

    if quarter is not None:
        ended_quarter(quarter)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    with acting_as(actor):
        lines = generate_quarter(
            quarter or previous_quarter(programme_today()), actor=actor, regenerate=regenerate
        )
    if quarter is None:  # the hourly sweep: also any requests left waiting
        process_return_requests()
    return lines


@shared_task(name="reporting.process_return_requests", acks_late=True)
def process_return_requests() -> int:
    """Make the returns asked for on the Returns page and not yet made. Each request is
    claimed with a row lock (SKIP LOCKED) and marked done in the same transaction as the
    returns it made, so two workers never make it twice. A request for a quarter that has not
    ended (asked before such requests were refused), or that is not a quarter, is closed
    without making anything, so it cannot hold up the requests behind it.
    Returns how many were done."""
    import logging

    from django.db import transaction

    from alexi.history import acting_as
    from reporting.models import ReturnRequest

    done = 0
    while True:
        with transaction.atomic():
            request = (
                ReturnRequest.objects.select_for_update(skip_locked=True)
                .filter(done_at__isnull=True)
                .order_by("requested_at")
                .first()
            )
            if request is None:
                return done
            try:
                ended_quarter(request.quarter)
            except ValueError as refused:  # QuarterNotEnded, or not a quarter at all
                logging.getLogger("alexi.reporting").warning(
                    "Return request %s refused: %s", request.pk, refused
                )
            else:
                with acting_as(request.requested_by):
                    generate_quarter(
                        request.quarter, actor=request.requested_by, regenerate=request.regenerate
                    )
            request.done_at = timezone.now()
            request.save(update_fields=["done_at"])
            done += 1


@shared_task(name="reporting.warm_hub_dashboards")
def warm_hub_dashboards() -> int:
    """Keep the hub overview of every hub with a manager signed in worked out in advance."""
    from reporting import dashboard

    return dashboard.warm_hub_dashboards(timezone.localdate())
