"""Writes for training, groupwork and consultancy: one transaction each, actor recorded."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from alexi.history import acting_as
from alexi.locking import StaleEdit, check_version
from alexi.models import Spoke, User
from training.models import (
    Consultation,
    Groupwork,
    Profession,
    TrainingAttendance,
    TrainingEvent,
)


@transaction.atomic
def training_save(
    *,
    actor: User,
    spoke: Spoke,
    data: dict[str, Any],
    attendance: dict[str, int],
    event: TrainingEvent | None = None,
    version: int | None = None,
) -> TrainingEvent:
    """Record or change a training event with its attendees counted by profession. A change
    made from an out-of-date form is refused (StaleEdit), never saved over someone else's."""
    counts = {profession: n for profession, n in attendance.items() if n}
    if not counts:
        raise ValidationError("Enter how many people attended: at least one.")
    with acting_as(actor):
        if event is None:
            event = TrainingEvent.objects.create(spoke=spoke, delivered_by=actor, **data)
        else:
            event = TrainingEvent.objects.select_for_update().get(pk=event.pk)
            _check_event_version(event, version, {**data, "spoke": spoke}, counts)
            for name, value in data.items():
                setattr(event, name, value)
            event.spoke = spoke
            event.version += 1
            event.save()
        for row in event.attendance.all():
            if row.profession not in counts:
                row.delete()
        for profession, n in counts.items():
            TrainingAttendance.objects.update_or_create(
                event=event, profession=profession, defaults={"attendees": n}
            )
    return event


def _check_event_version(
    event: TrainingEvent, version: int | None, data: dict[str, Any], counts: dict[str, int]
) -> None:
    """As check_version, with the attendees by profession among what differs (the form's
    `attendees_<profession>` fields)."""
    try:
        check_version(event, version, data)
    except StaleEdit as stale:
        saved = {row.profession: row.attendees for row in event.attendance.all()}
        stale.changes += [
            (f"attendees_{profession}", counts.get(profession), saved.get(profession))
            for profession in Profession.values
            if counts.get(profession) != saved.get(profession)
        ]
        raise


@transaction.atomic
def activity_save(
    *,
    actor: User,
    model: type[Groupwork] | type[Consultation],
    spoke: Spoke,
    data: dict[str, Any],
    record: Groupwork | Consultation | None = None,
    version: int | None = None,
) -> Groupwork | Consultation:
    """Record or change groupwork or a consultation (stale changes refused, as above)."""
    assert model in (Groupwork, Consultation)
    with acting_as(actor):
        if record is None:
            return model.objects.create(spoke=spoke, recorded_by=actor, **data)
        record = model.objects.select_for_update().get(pk=record.pk)
        check_version(record, version, {**data, "spoke": spoke})
        for name, value in data.items():
            setattr(record, name, value)
        record.spoke = spoke
        record.version += 1
        record.save()
    return record
