"""A person's own reminders on a case (issue 13 item 2): add, change, done and undone, delete.

A reminder is personal: every write here is its author's, on a case they may open (the views
fetch the case through casework.access and the reminder by its author). Each is one
transaction with history."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alexi.history import acting_as
from alexi.locking import check_version
from alexi.models import User
from casework.models import REMINDER_NOTE_MAX, Case, CaseStatus, Reminder

REMINDER_MAX_DAYS = 366


def _check(data: dict[str, Any], *, unchanged_day: date | None = None) -> dict[str, Any]:
    """A note of 1 to REMINDER_NOTE_MAX characters (spaces tidied) and a day from today to a
    year ahead; a reminder's own day may stay as it was when it is changed."""
    note = " ".join(str(data.get("note") or "").split())
    day = data.get("due_on")
    errors: dict[str, str] = {}
    if not note:
        errors["note"] = "Enter what you want to be reminded of."
    elif len(note) > REMINDER_NOTE_MAX:
        errors["note"] = f"The note must be {REMINDER_NOTE_MAX} characters or fewer."
    if not isinstance(day, date):
        errors["due_on"] = "Enter the date of the reminder."
    elif day != unchanged_day:
        today = timezone.localdate()
        if day < today:
            errors["due_on"] = "The date of the reminder cannot be in the past."
        elif day > today + timedelta(days=REMINDER_MAX_DAYS):
            errors["due_on"] = "The date of the reminder must be within a year."
    if errors:
        raise ValidationError(errors)
    return {"note": note, "due_on": day}


@transaction.atomic
def reminder_add(*, actor: User, case: Case, data: dict[str, Any]) -> Reminder:
    """`actor`'s own reminder on `case` (not on a closed case)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("This case is closed, so a reminder cannot be added to it.")
    fields = _check(data)
    with acting_as(actor):
        return Reminder.objects.create(case=case, author=actor, **fields)


def _locked(actor: User, reminder: Reminder) -> Reminder:
    return Reminder.objects.select_for_update().get(pk=reminder.pk, author=actor)


@transaction.atomic
def reminder_update(
    *, actor: User, reminder: Reminder, version: int | None, data: dict[str, Any]
) -> Reminder:
    """Change the day or note; a change made from an older version is refused (StaleEdit)."""
    reminder = _locked(actor, reminder)
    fields = _check(data, unchanged_day=reminder.due_on)
    check_version(reminder, version, fields)
    with acting_as(actor):
        reminder.due_on, reminder.note = fields["due_on"], fields["note"]
        reminder.version += 1
        reminder.save(update_fields=["due_on", "note", "version"])
    return reminder


@transaction.atomic
def reminder_set_done(*, actor: User, reminder: Reminder, done: bool) -> bool:
    """Mark done (or not done again). Returns False when it already was as asked (a second
    click or Back and again), changing nothing."""
    reminder = _locked(actor, reminder)
    if (reminder.done_at is not None) == done:
        return False
    with acting_as(actor):
        reminder.done_at = timezone.now() if done else None
        reminder.version += 1
        reminder.save(update_fields=["done_at", "version"])
    return True


@transaction.atomic
def reminder_delete(*, actor: User, reminder: Reminder) -> None:
    """Delete it (its history keeps what it was)."""
    reminder = _locked(actor, reminder)
    with acting_as(actor):
        reminder.delete()
