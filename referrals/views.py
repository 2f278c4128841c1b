"""Referral intake, the triage queue and decisions. Reads go through referrals.access."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case as When_
from django.db.models import IntegerField, Value, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alexi.access import require_role
from alexi.audit import record_access
from alexi.models import AccessAction, Role
from alexi.submissions.once import once_only
from alexi.views.forms import apply_errors, stale_rows
from casework import access as casework_access
from casework.models import YoungPerson
from referrals import access, matching, services
from referrals.forms import DecisionForm, ReferralForm
from referrals.models import OPEN_DECISIONS, Decision, Source, Urgency

intake_roles = require_role(Role.HUB_MANAGER, Role.SPOKE_WORKER)
managers_only = require_role(Role.HUB_MANAGER)


def _matches_for(request, referral) -> list[matching.Match]:
    return matching.suggest(
        user=request.user,
        hub_id=referral.hub_id,
        first_name=referral.first_name,
        last_name=referral.last_name,
        date_of_birth=referral.date_of_birth,
        age=referral.age,
        local_authority_id=referral.local_authority_id,
    )


@intake_roles
@require_http_methods(["GET", "POST"])
@once_only(what="the referral")
def intake(request):
    hubs = access.intake_hubs(request.user)
    form = ReferralForm(
        request.POST if request.method == "POST" else None,
        hubs=hubs,
        initial={"received_on": timezone.localdate(), "hub": hubs.first()},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                referral = services.referral_record(
                    actor=request.user, hub=form.cleaned_data["hub"], data=form.referral_data()
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if access.referrals_for(request.user).filter(pk=referral.pk).exists():
                    messages.success(request, f"Referral {referral.reference} recorded.")
                    return redirect("referrals:referral", referral_id=referral.pk)
                # Its maker may not open it (a worker's): its reference on a page of its own,
                # so that Back or reload never sends the form again.
                request.session[RECORDED] = referral.pk
                return redirect("referrals:referral_recorded")
        status = 400
    return render(
        request,
        "referrals/intake.html",
        {"title": "Record a referral", "form": form},
        status=status,
    )


RECORDED = "referral_recorded"


@intake_roles
@require_GET
def recorded(request):
    """The referral this person has just recorded but may not open: its reference, and the
    possible matches they may see."""
    referral = access.referral_just_recorded(request.user, request.session.get(RECORDED))
    return render(
        request,
        "referrals/recorded.html",
        {
            "title": "Referral recorded",
            "referral": referral,
            **_match_context(_matches_for(request, referral)),
        },
    )


def _urgency_rank():
    return When_(
        When(urgency=Urgency.IMMEDIATE, then=Value(0)),
        When(urgency=Urgency.URGENT, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


@managers_only
@require_GET
def queue(request):
    """Referrals waiting for a decision at the manager's hubs, most urgent and oldest first."""
    shown = request.GET.get("decision", "open")
    referrals = access.referrals_for(request.user).select_related("hub", "local_authority")
    if shown == "open":
        referrals = referrals.filter(decision__in=OPEN_DECISIONS)
    elif shown in Decision.values:
        referrals = referrals.filter(decision=shown)
    source = request.GET.get("source", "")
    if source in Source.values:
        referrals = referrals.filter(source=source)
    urgency = request.GET.get("urgency", "")
    if urgency in Urgency.values:
        referrals = referrals.filter(urgency=urgency)
    referrals = referrals.annotate(urgency_rank=_urgency_rank()).order_by(
        "urgency_rank", "received_on", "id"
    )
    page = Paginator(referrals, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/queue.html",
        {
            "title": "Referrals",
            "page": page,
            "shown": shown,
            "source": source,
            "urgency": urgency,
            "sources": Source.choices,
            "urgencies": Urgency.choices,
            "decisions": Decision.choices,
            "query": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


def _match_context(matches) -> dict:
    """Visible matches in full; the others only as 'a possible match exists at your hub'."""
    return {
        "matches": [m for m in matches if not m.hidden],
        "hidden_match": any(m.hidden for m in matches),
    }


def _link_choices(matches) -> list[tuple[str, str]]:
    """A visible match without an open case here can have a case opened; one with an open
    case is offered only that case (one open case per young person per hub)."""
    choices = []
    for m in matches:
        if m.hidden:
            continue
        name = f"{m.person.reference}: {m.person.full_name or m.person.display_name}"
        if m.open_case is not None:
            choices.append(
                (
                    f"case-{m.open_case.pk}",
                    f"{name}: add this referral to their open case {m.open_case.reference}",
                )
            )
        else:
            choices.append((str(m.person.pk), name))
    return choices


@require_role(Role.HUB_MANAGER, Role.SPOKE_WORKER)
@require_GET
def detail(request, referral_id: int):
    referral = access.referral_for(request.user, referral_id)
    record_access(request, AccessAction.VIEW, obj=referral)
    may_decide = access.may_decide(request.user, referral)
    matches = _matches_for(request, referral) if may_decide and referral.is_open else []
    form = DecisionForm(hub_id=referral.hub_id, link_choices=_link_choices(matches))
    return render(
        request,
        "referrals/detail.html",
        {
            "title": f"Referral {referral.reference}",
            "referral": referral,
            "history": referral.history.select_related("history_user").order_by("history_date"),
            **_match_context(matches),
            "form": form,
            "may_decide": may_decide,
            "today": timezone.localdate(),
        },
    )


@managers_only
@require_POST
def decide(request, referral_id: int):
    referral = access.referral_for(request.user, referral_id)
    if not access.may_decide(request.user, referral):
        raise PermissionDenied
    matches = _matches_for(request, referral) if referral.is_open else []
    form = DecisionForm(request.POST, hub_id=referral.hub_id, link_choices=_link_choices(matches))
    status, stale = 400, None
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == Decision.ACCEPTED and data["link_to"].startswith("case-"):
                # Re-checked: only an open case offered with a visible match may be chosen.
                into = casework_access.case_for(
                    request.user, int(data["link_to"].removeprefix("case-"))
                ).case
                services.referral_accept_into_case(actor=request.user, referral=referral, case=into)
                messages.success(request, f"Referral added to the open case {into.reference}.")
                return redirect("casework:case", case_id=into.pk)
            if data["decision"] == Decision.ACCEPTED:
                person = None
                if data["link_to"] not in ("", "new"):
                    # Re-checked: only a young person offered as a visible match may be linked.
                    person = YoungPerson.objects.get(pk=int(data["link_to"]))
                accepted = services.referral_accept(
                    actor=request.user,
                    referral=referral,
                    worker=data["worker"],
                    young_person=person,
                )
                messages.success(request, "Referral accepted: the case is open and allocated.")
                return redirect("casework:case", case_id=accepted.case_id)
            services.referral_decide(
                actor=request.user,
                referral=referral,
                decision=data["decision"],
                reason=data["reason"],
                signposted_to=data["signposted_to"],
            )
            messages.success(request, "Decision recorded.")
            return redirect("referrals:referral", referral_id=referral.pk)
        except services.AlreadyDecided as already:
            status, stale = 409, _decided_first(form, already.referral, request.user)
        except ValidationError as error:
            apply_errors(form, error)
    return render(
        request,
        "referrals/detail.html",
        {
            "title": f"Referral {referral.reference}",
            "referral": access.referral_for(request.user, referral_id),
            "history": referral.history.select_related("history_user").order_by("history_date"),
            **_match_context(matches),
            "form": form,
            "may_decide": True,
            "today": timezone.localdate(),
            **(stale or {}),
        },
        status=status,
    )


def _decided_first(form, decided, user) -> dict:
    """The referral was decided first, by another manager or by this one (a double click, or
    Back then the button again): that decision stands, and the page shows it beside the one
    this manager chose (includes/stale_edit.html), nothing overwritten."""
    data = form.cleaned_data
    case = decided.case
    chosen = [
        ("decision", data["decision"], decided.get_decision_display()),
        ("worker", data["worker"], case.allocated_worker if case else None),
        ("signposted_to", data["signposted_to"], decided.signposted_to),
        ("reason", data["reason"], decided.decline_reason),
    ]
    day = f"{decided.decided_on.day} {decided.decided_on:%b %Y}"
    if decided.decided_by_id == user.pk:
        heading = "You have already decided this referral"
        intro = (
            f"{decided.get_decision_display()} by you on {day}. Nothing was changed: that "
            "decision stands. Here is what you chose this time beside what is saved."
        )
    else:
        heading = "Someone else decided this referral first"
        intro = (
            f"{decided.get_decision_display()} by {decided.decided_by} on {day}. Nothing was "
            "changed: their decision stands. Here is what you chose beside what is saved now."
        )
    return {
        "stale": stale_rows(
            form, [(n, yours, saved) for n, yours, saved in chosen if yours or saved]
        ),
        "stale_heading": heading,
        "stale_intro": intro,
    }
