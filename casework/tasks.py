"""Periodic casework jobs: thin adapters over services (idempotent)."""

from celery import shared_task

from casework.services import shares_expire


@shared_task(name="casework.shares_expire")
def expire_shares() -> int:
    """Remove grants of expired shares. Access already stopped at expiry; this tidies up."""
    return shares_expire()
