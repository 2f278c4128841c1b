"""Writes for training, groupwork and consultancy: one transaction each, actor recorded."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from alexi.history import acting_as
from alexi.models import Spoke, User
from casework.services import _check_version
from training.models import Consultation, Groupwork, TrainingAttendance, TrainingEvent


@transaction.atomic
def training_save(
    *,
    actor: User,
    spoke: Spoke,
    data: dict,
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
            _check_version(event, version or 0, data)
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


@transaction.atomic
def activity_save(*, actor: User, model, spoke: Spoke, data: dict, record=None, version=None):
    """Record or change groupwork or a consultation (stale changes refused, as above)."""
    assert model in (Groupwork, Consultation)
    with acting_as(actor):
        if record is None:
            return model.objects.create(spoke=spoke, recorded_by=actor, **data)
        record = model.objects.select_for_update().get(pk=record.pk)
        _check_version(record, version or 0, data)
        for name, value in data.items():
            setattr(record, name, value)
        record.spoke = spoke
        record.version += 1
        record.save()
    return record
