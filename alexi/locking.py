"""Optimistic locking for records that keep a `version` (SECURITY.md, Reliability): an edit made
from an out-of-date form is refused with both versions kept, never saved over someone else's.

A service locks the row (select_for_update), calls `check_version` with the version the form
was opened at, then saves with the version raised by one. The view shows the refusal
with `alexi.forms.stale_edit` and the template includes/stale_edit.html."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

Change = tuple[str, Any, Any]  # (field name, what the person entered, what is saved now)


class StaleEdit(Exception):
    """Someone else saved this record first. Carries the record as it is saved now and what
    differs from what the person entered, so the page can show both."""

    def __init__(self, current: Any, changes: list[Change]):
        self.current = current
        self.changes = changes
        super().__init__("This record was changed by someone else while you were editing it.")


def differences(instance: Any, submitted: dict) -> list[Change]:
    """The submitted fields whose value differs from the record's: (name, entered, saved)."""
    return [
        (name, submitted.get(name), getattr(instance, name))
        for name in submitted
        if submitted.get(name) != getattr(instance, name)
    ]


def check_version(instance: Model, version: int | None, submitted: dict) -> None:
    """Refuse (StaleEdit) a change made from a version other than the record's current one.
    `instance` must be the row locked for this transaction."""
    if version != instance.version:  # type: ignore[attr-defined]
        raise StaleEdit(instance, differences(instance, submitted))
