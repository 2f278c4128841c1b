"""The programme's structure (funders, hubs, spokes, LA areas, workers' profiles): reads for the
administrators' pages and the writes behind them, each one transaction with its actor in
history. An edit made from an out-of-date page is refused with both versions, never saved over
someone else's (alexi.locking)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Count, Model, Q, QuerySet

from alexi import hooks
from alexi.history import acting_as
from alexi.locking import check_version
from alexi.models import (
    Funder,
    GrantKind,
    Hub,
    LocalAuthority,
    Spoke,
    User,
    WorkerProfile,
    management_current,
)


class StructureRefused(Exception):
    """The change cannot be made as things stand; the message says why and what to do."""


# --- Reads -----------------------------------------------------------------------------------


def hubs_list() -> QuerySet[Hub]:
    """Hubs with how many spokes, LA areas and current managers each has (one query)."""
    current = management_current(via="managements__")
    return Hub.objects.annotate(
        spoke_count=Count("spokes", distinct=True),
        la_count=Count("home_las", distinct=True),
        manager_count=Count(
            "managements",
            filter=current & Q(managements__manager__is_active=True),
            distinct=True,
        ),
    ).order_by("name")


def spokes_list() -> QuerySet[Spoke]:
    """Spokes with their hub, LA area, workers and open cases counted (one query)."""
    return (
        Spoke.objects.select_related("hub", "local_authority")
        .annotate(
            worker_count=Count("workers", filter=Q(workers__user__is_active=True), distinct=True),
            open_cases=Count("cases", filter=~Q(cases__status="closed"), distinct=True),
        )
        .order_by("hub__name", "local_authority__name", "ref")
    )


def funders_list() -> QuerySet[Funder]:
    return Funder.objects.annotate(hub_count=Count("hubs", distinct=True)).order_by("name")


def local_authorities_list() -> QuerySet[LocalAuthority]:
    return LocalAuthority.objects.annotate(spoke_count=Count("spokes", distinct=True)).order_by(
        "name"
    )


def workers_list() -> QuerySet[WorkerProfile]:
    return WorkerProfile.objects.select_related(
        "user", "spoke__hub", "spoke__local_authority"
    ).order_by("user__full_name")


def history_of(instance: Model, limit: int = 20) -> list[dict]:
    """Who changed the record and when, newest first, with the fields each change touched
    (one query: each entry is compared with the one before it in memory)."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    labels = {f.name: str(f.verbose_name) for f in instance._meta.fields}
    rows = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changed = []
        if previous is not None and record.history_type == "~":
            touched = {change.field for change in record.diff_against(previous).changes}
            changed = [label for name, label in labels.items() if name in touched - {"version"}]
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "what": {"+": "Added", "~": "Changed", "-": "Removed"}[record.history_type],
                "fields": changed,
                "reason": record.history_change_reason or "",
            }
        )
    return rows


def open_cases_of(*, worker: User | None = None, spoke: Spoke | None = None) -> int:
    """Open (not closed) cases allocated to a worker, or at a spoke (counted by casework)."""
    return hooks.open_cases(worker=worker, spoke=spoke)


# --- Writes ----------------------------------------------------------------------------------


@transaction.atomic
def record_save(
    *,
    actor: User,
    model: type[Model],
    pk: int | None,
    version: int | None,
    data: dict,
    many: dict | None = None,
) -> Model:
    """Add a record (pk None) or change one, refusing a change made from an old version.
    `many`: many-to-many values (a hub's LA areas and funders), set after saving."""
    with acting_as(actor):
        if pk is None:
            instance = model(**data)
            instance.full_clean()
            instance.save()
        else:
            instance = model.objects.select_for_update().get(pk=pk)
            check_version(instance, version, data)
            for name, value in data.items():
                setattr(instance, name, value)
            instance.version += 1
            instance.full_clean()
            instance.save(update_fields=[*data, "version"])
        for name, values in (many or {}).items():
            getattr(instance, name).set(values)
    return instance


@transaction.atomic
def spoke_end(*, actor: User, spoke_id: int, version: int | None, end_date: date) -> Spoke:
    """End a spoke. Refused while it has open cases or workers attached: they move first."""
    spoke = (
        Spoke.objects.select_for_update().select_related("hub", "local_authority").get(pk=spoke_id)
    )
    check_version(spoke, version, {"end_date": end_date})
    if end_date < spoke.start_date:
        raise StructureRefused(
            f"The end date must be on or after the spoke's start, {spoke.start_date:%-d %B %Y}."
        )
    cases = open_cases_of(spoke=spoke)
    workers = WorkerProfile.objects.filter(spoke=spoke, user__is_active=True).count()
    if cases or workers:
        parts = []
        if cases:
            parts.append(f"{cases} open case{'s' if cases != 1 else ''}")
        if workers:
            parts.append(f"{workers} worker{'s' if workers != 1 else ''}")
        raise StructureRefused(
            f"This spoke still has {' and '.join(parts)}. Close or transfer the cases and move "
            "the workers to another spoke first, then end it."
        )
    with acting_as(actor):
        spoke.end_date = end_date
        spoke.version += 1
        spoke.save(update_fields=["end_date", "version"])
    return spoke


@transaction.atomic
def worker_move(*, actor: User, profile_id: int, version: int | None, spoke: Spoke, request=None):
    """Ask to move a worker to another spoke. Refused while they hold open cases (as the
    import refuses); otherwise a request the new hub's managers confirm (alexi.grants)."""
    from alexi.grants import GrantRefused, grant_request

    profile = (
        WorkerProfile.objects.select_for_update().select_related("user", "spoke").get(pk=profile_id)
    )
    check_version(profile, version, {"spoke": spoke})
    if spoke.pk == profile.spoke_id:
        raise StructureRefused(f"{profile.user.full_name} already works at {spoke}.")
    held = open_cases_of(worker=profile.user)
    if held:
        raise StructureRefused(
            f"{profile.user.full_name} holds {held} open case{'s' if held != 1 else ''}. "
            "Their hub manager reallocates them first; then they can move."
        )
    try:
        return grant_request(
            actor=actor,
            user=profile.user,
            kind=GrantKind.SPOKE_WORKER,
            hub=spoke.hub,
            spoke=spoke,
            request=request,
        )
    except GrantRefused as error:
        raise StructureRefused(str(error)) from error
