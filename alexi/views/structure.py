"""The programme structure, for programme administrators: funders, hubs, spokes, LA areas and
workers' profiles, listed, added and changed with their history, in Alexi's own pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from alexi import structure
from alexi.access import require_role
from alexi.locking import StaleEdit
from alexi.models import Funder, Hub, LocalAuthority, Role, Spoke, WorkerProfile
from alexi.structure_forms import FORMS, ManagerRequestForm, SpokeEndForm, WorkerMoveForm
from alexi.views.forms import apply_errors, stale_edit

admin_only = require_role(Role.PROGRAMME_ADMIN)

KINDS = {
    # kind: (model, plural title, singular, list selector, can be added here)
    "hubs": (Hub, "Hubs", "hub", structure.hubs_list, True),
    "spokes": (Spoke, "Spokes", "spoke", structure.spokes_list, True),
    "funders": (Funder, "Funders", "funder", structure.funders_list, True),
    "la-areas": (LocalAuthority, "LA areas", "LA area", structure.local_authorities_list, True),
    # Workers join through an invitation (People); here their profile changes or they move.
    "workers": (WorkerProfile, "Workers", "worker", structure.workers_list, False),
}


def _kind(kind: str):
    if kind not in KINDS:
        raise Http404("No such list")
    return KINDS[kind]


@admin_only
@require_GET
def structure_index(request):
    return render(
        request,
        "structure/index.html",
        {"title": "Programme structure", "kinds": [(k, v[1]) for k, v in KINDS.items()]},
    )


@admin_only
@require_GET
def structure_list(request, kind: str):
    model, plural, singular, rows, addable = _kind(kind)
    page = Paginator(rows(), 100).get_page(request.GET.get("page"))
    return render(
        request,
        f"structure/list_{kind.replace('-', '_')}.html",
        {
            "title": plural,
            "kind": kind,
            "singular": singular,
            "addable": addable,
            "page": page,
        },
    )


@admin_only
@require_http_methods(["GET", "POST"])
def structure_edit(request, kind: str, pk: int | None = None):
    model, plural, singular, _rows, addable = _kind(kind)
    pk = int(pk) if pk is not None else None
    if pk is None and not addable:
        raise Http404("Added elsewhere")
    instance = get_object_or_404(model, pk=pk) if pk is not None else model()
    form_class = FORMS[kind]
    form = form_class(request.POST if request.method == "POST" else None, instance=instance)
    status, stale = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            plain, many = form.data_to_save()
            try:
                saved = structure.record_save(
                    actor=request.user,
                    model=model,
                    pk=pk,
                    version=form.cleaned_data["version"],
                    data=plain,
                    many=many,
                )
            except StaleEdit as error:
                status, stale = 409, stale_edit(form, error)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"Saved: {saved}.")
                return redirect("alexi:structure_edit", kind=kind, pk=saved.pk)
    title = f"Add a {singular}" if pk is None else str(instance)
    return render(
        request,
        "structure/form.html",
        {
            "title": title,
            "kind": kind,
            "plural": plural,
            "singular": singular,
            "form": form,
            "record": instance if pk is not None else None,
            "stale": stale,
            "history": structure.history_of(instance) if pk is not None else [],
            **_extra(kind, instance if pk is not None else None),
        },
        status=status,
    )


def _extra(kind: str, instance) -> dict:
    """What else an edit page shows: a hub's spokes and managers, a spoke's counts."""
    if instance is None:
        return {}
    if kind == "hubs":
        from alexi.selectors import hubs_with_structure

        hub = hubs_with_structure(hubs=Hub.objects.filter(pk=instance.pk)).get()
        return {"hub": hub}
    if kind == "spokes":
        return {
            "open_cases": structure.open_cases_of(spoke=instance),
            "workers": WorkerProfile.objects.filter(spoke=instance, user__is_active=True)
            .select_related("user")
            .order_by("user__full_name"),
        }
    if kind == "workers":
        return {"open_cases": structure.open_cases_of(worker=instance.user)}
    return {}


@admin_only
@require_http_methods(["GET", "POST"])
def spoke_end(request, pk: int):
    spoke = get_object_or_404(Spoke.objects.select_related("hub", "local_authority"), pk=pk)
    form = SpokeEndForm(
        request.POST if request.method == "POST" else None, initial={"version": spoke.version}
    )
    status, stale = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                structure.spoke_end(
                    actor=request.user,
                    spoke_id=spoke.pk,
                    version=form.cleaned_data["version"],
                    end_date=form.cleaned_data["end_date"],
                )
            except StaleEdit as error:
                status, stale = 409, stale_edit(form, error)
            except structure.StructureRefused as error:
                form.add_error("end_date", str(error))
            else:
                messages.success(request, f"The spoke {spoke} has ended.")
                return redirect("alexi:structure_edit", kind="spokes", pk=spoke.pk)
    return render(
        request,
        "structure/action.html",
        {
            "title": f"End the spoke {spoke}",
            "heading": f"End the spoke {spoke}",
            "intro": "A spoke can end once it has no open cases and no workers attached. "
            "Its records and figures stay.",
            "button": "End this spoke",
            "form": form,
            "stale": stale,
            "back": reverse("alexi:structure_edit", kwargs={"kind": "spokes", "pk": spoke.pk}),
        },
        status=status,
    )


@admin_only
@require_http_methods(["GET", "POST"])
def worker_move(request, pk: int):
    profile = get_object_or_404(
        WorkerProfile.objects.select_related("user", "spoke__hub", "spoke__local_authority"),
        pk=pk,
    )
    form = WorkerMoveForm(
        request.POST if request.method == "POST" else None,
        current=profile.spoke,
        initial={"version": profile.version},
    )
    status, stale = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                structure.worker_move(
                    actor=request.user,
                    profile_id=profile.pk,
                    version=form.cleaned_data["version"],
                    spoke=form.cleaned_data["spoke"],
                    request=request,
                )
            except StaleEdit as error:
                status, stale = 409, stale_edit(form, error)
            except structure.StructureRefused as error:
                form.add_error("spoke", str(error))
            else:
                messages.success(
                    request,
                    f"Asked to move {profile.user.full_name}. The move happens when a manager of "
                    "the new hub confirms it (another programme administrator if it has none).",
                )
                return redirect("alexi:structure_edit", kind="workers", pk=profile.pk)
    return render(
        request,
        "structure/action.html",
        {
            "title": f"Move {profile.user.full_name}",
            "heading": f"Move {profile.user.full_name} to another spoke",
            "intro": f"Now at {profile.spoke}. A worker who holds open cases cannot move until "
            "their hub manager reallocates them.",
            "button": "Ask to move",
            "form": form,
            "stale": stale,
            "back": reverse("alexi:structure_edit", kwargs={"kind": "workers", "pk": profile.pk}),
        },
        status=status,
    )


@admin_only
@require_http_methods(["GET", "POST"])
def hub_manager_request(request, pk: int):
    """Ask for an existing hub manager to manage this hub too (confirmed by the hub)."""
    from alexi.grants import GrantRefused, grant_request
    from alexi.models import GrantKind

    hub = get_object_or_404(Hub, pk=pk)
    form = ManagerRequestForm(request.POST if request.method == "POST" else None, hub=hub)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            manager = form.cleaned_data["manager"]
            try:
                grant_request(
                    actor=request.user,
                    user=manager,
                    kind=GrantKind.HUB_MANAGER,
                    hub=hub,
                    request=request,
                )
            except GrantRefused as error:
                form.add_error("manager", str(error))
            else:
                messages.success(
                    request,
                    f"Asked for {manager.full_name} to manage {hub.name}. It happens when a "
                    "manager of the hub (or another administrator, while it has none) confirms.",
                )
                return redirect("alexi:structure_edit", kind="hubs", pk=hub.pk)
    return render(
        request,
        "structure/action.html",
        {
            "title": f"Ask for a manager of {hub.name}",
            "heading": f"Ask for someone to manage {hub.name}",
            "intro": "Managing a hub reaches its young people's records, so this is a request: "
            "nobody gets access until it is confirmed. To add someone new, invite them.",
            "button": "Ask",
            "form": form,
            "stale": None,
            "back": reverse("alexi:structure_edit", kwargs={"kind": "hubs", "pk": hub.pk}),
        },
        status=status,
    )
