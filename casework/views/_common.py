"""What the casework.views modules share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from alexi.access import require_role
from alexi.models import Role

WORKER_OR_MANAGER = (Role.SPOKE_WORKER, Role.HUB_MANAGER)
on_cases = require_role(*WORKER_OR_MANAGER)
managers_only = require_role(Role.HUB_MANAGER)


def _require(right: bool) -> None:
    """403 unless the case's access (casework.access.CaseAccess) gives this right."""
    if not right:
        raise PermissionDenied


def _id_or_none(value: str | None) -> int | None:
    value = value or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


def _int_or_none(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 <= number <= 3650 else None
