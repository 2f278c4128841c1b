"""Training, groupwork and consultancy: quick entry, and lists with totals for any period."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from alexi.access import require_role
from alexi.locking import StaleEdit
from alexi.models import Role, Spoke
from alexi.submissions.once import once_only
from alexi.views.forms import apply_errors, stale_edit
from reporting.scope import Period
from training import access, services
from training.forms import ConsultationForm, GroupworkForm, TrainingForm
from training.models import Consultation, Groupwork, Profession, TrainingAttendance, TrainingEvent

on_activities = require_role(Role.SPOKE_WORKER, Role.HUB_MANAGER)


def _period(request) -> tuple[Period, str]:
    """The period asked for (default: this quarter), and a message if the dates were bad."""
    default = Period.quarter_of(timezone.localdate())
    try:
        start = date.fromisoformat(request.GET.get("from", "") or default.start.isoformat())
        end = date.fromisoformat(request.GET.get("to", "") or default.end.isoformat())
        return Period(start, end), ""
    except ValueError:
        return (
            default,
            "Those dates could not be used (the end must not be before the start), "
            "so this quarter is shown.",
        )


@on_activities
@require_GET
def activities(request):
    period, problem = _period(request)
    chosen = request.GET.get("spoke", "")
    spoke = (
        int(chosen)
        if chosen.isascii()
        and chosen.isdigit()
        and len(chosen) < 12
        and int(chosen) in access.activity_spoke_ids(request.user)
        else None
    )

    def held(model):  # this person's records of the chosen spoke (or all theirs) in the period
        return access.activities_for(request.user, model, spoke_id=spoke).filter(
            date__range=(period.start, period.end)
        )

    events = held(TrainingEvent)
    groupwork = held(Groupwork).select_related("spoke__local_authority")
    consultations = held(Consultation).select_related("spoke__local_authority")
    by_profession = dict(
        TrainingAttendance.objects.filter(event__in=events)
        .values_list("profession")
        .annotate(n=Sum("attendees"))
    )
    events = (
        events.select_related("spoke__local_authority")
        .prefetch_related(
            Prefetch("attendance", queryset=TrainingAttendance.objects.order_by("profession"))
        )
        .annotate(total=Sum("attendance__attendees"))
    )
    by_role = dict(consultations.values_list("professional_role").annotate(n=Count("id")))
    totals = {
        "professionals": sum(by_profession.values()),
        "by_profession": [
            (label, by_profession.get(value, 0)) for value, label in Profession.choices
        ],
        "young_people": groupwork.aggregate(n=Sum("young_people"))["n"] or 0,
        "consultations": sum(by_role.values()),
        "minutes": consultations.aggregate(n=Sum("minutes"))["n"] or 0,
        "by_role": [(label, by_role.get(value, 0)) for value, label in Profession.choices],
    }
    return render(
        request,
        "training/activities.html",
        {
            "title": "Training, groupwork and consultancy",
            "period": period,
            "problem": problem,
            "events": events,
            "groupwork": groupwork,
            "consultations": consultations,
            "totals": totals,
            "spokes": Spoke.objects.filter(
                pk__in=access.activity_spoke_ids(request.user)
            ).select_related("local_authority"),
            "chosen": chosen,
        },
        status=400 if problem else 200,
    )


def _form_view(request, *, form_class, record, title, template, save):
    spoke_ids = access.activity_spoke_ids(request.user)
    initial = {"date": timezone.localdate(), "spoke": spoke_ids[0] if spoke_ids else None}
    if record is not None:
        initial = {
            name: getattr(record, name) for name in form_class.base_fields if hasattr(record, name)
        }
        initial["spoke"] = record.spoke_id
        initial["version"] = record.version
        if isinstance(record, TrainingEvent):
            for row in record.attendance.all():
                initial[f"attendees_{row.profession}"] = row.attendees
    form = form_class(
        request.POST if request.method == "POST" else None, initial=initial, spoke_ids=spoke_ids
    )
    status, stale = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                save(form)
            except StaleEdit as error:
                status, stale = 409, stale_edit(form, error)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Saved.")
                return redirect("training:activities")
    return render(
        request,
        template,
        {"title": title, "form": form, "record": record, "stale": stale},
        status=status,
    )


@on_activities
@require_http_methods(["GET", "POST"])
@once_only(what="the training event", unless="event_id")
def training_form(request, event_id: int | None = None):
    event = access.activity_for(request.user, TrainingEvent, event_id) if event_id else None
    return _form_view(
        request,
        form_class=TrainingForm,
        record=event,
        title="Training or awareness event",
        template="training/training_form.html",
        save=lambda form: services.training_save(
            actor=request.user,
            spoke=form.cleaned_data["spoke"],
            data=form.record_data(),
            attendance=form.attendance(),
            event=event,
            version=form.cleaned_data.get("version"),
        ),
    )


@on_activities
@require_http_methods(["GET", "POST"])
@once_only(what="the groupwork", unless="groupwork_id")
def groupwork_form(request, groupwork_id: int | None = None):
    record = access.activity_for(request.user, Groupwork, groupwork_id) if groupwork_id else None
    return _form_view(
        request,
        form_class=GroupworkForm,
        record=record,
        title="Groupwork, a talk or a session",
        template="training/simple_form.html",
        save=lambda form: services.activity_save(
            actor=request.user,
            model=Groupwork,
            spoke=form.cleaned_data["spoke"],
            data=form.record_data(),
            record=record,
            version=form.cleaned_data.get("version"),
        ),
    )


@on_activities
@require_http_methods(["GET", "POST"])
@once_only(what="the consultation", unless="consultation_id")
def consultation_form(request, consultation_id: int | None = None):
    record = (
        access.activity_for(request.user, Consultation, consultation_id)
        if consultation_id
        else None
    )
    return _form_view(
        request,
        form_class=ConsultationForm,
        record=record,
        title="Case consultancy",
        template="training/simple_form.html",
        save=lambda form: services.activity_save(
            actor=request.user,
            model=Consultation,
            spoke=form.cleaned_data["spoke"],
            data=form.record_data(),
            record=record,
            version=form.cleaned_data.get("version"),
        ),
    )
