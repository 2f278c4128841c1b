"""What the casework.services modules share."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format

from alexi.models import HubManagement

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from alexi.models import Hub


SHARE_MAX_DAYS = 90
BREAK_GLASS_HOURS = 24
TRANSFER_DAYS = 30
GRANT = "casework.view_case_shared"


def _apply(instance: Model, data: dict[str, Any]) -> list[str]:
    for name, value in data.items():
        setattr(instance, name, value)
    return list(data)


def _current_managements(hub: Hub) -> QuerySet[HubManagement]:
    return HubManagement.objects.current().filter(hub=hub)


def _day(value: date) -> str:
    return date_format(value, "j F Y")
