"""Imports on Celery: thin adapters over imports.services."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="imports.process_imports", acks_late=True)
def process_imports() -> int:
    """Run the waiting imports (checks and confirmed imports), oldest first."""
    from imports.services import process_jobs

    return process_jobs()


@shared_task(name="imports.sweep")
def sweep_imports() -> int:
    """Requeue imports whose worker died, drop unconfirmed uploads, run anything waiting."""
    from imports.services import sweep

    return sweep()
