"""Casework pages: a person's own reminders on a case (issue 13 item 2).

Only on a case the person may open (casework.access.case_for: 404 otherwise), and only their
own reminder (another person's answers 404, as one that does not exist)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from alexi.audit import record_access
from alexi.locking import StaleEdit
from alexi.models import AccessAction
from alexi.submissions.once import once_only
from alexi.views.forms import apply_errors, stale_edit
from casework import access, forms
from casework.models import CaseStatus, Reminder
from casework.services import reminders as services
from casework.views._common import on_cases


def _back(request, case_id: int):
    """Back to the work list when the person came from it, else to the case."""
    if (request.POST.get("next") or request.GET.get("next")) == "tasks":
        return redirect("alexi:tasks")
    return redirect("casework:case", case_id=case_id)


def _own(request, case_id: int, reminder_id: int):
    allowed = access.case_for(request.user, case_id)
    reminder = get_object_or_404(
        Reminder, pk=reminder_id, case_id=allowed.case.pk, author=request.user
    )
    return allowed.case, reminder


@on_cases
@require_http_methods(["GET", "POST"])
@once_only(what="the reminder", unless="reminder_id")
def reminder_form(request, case_id: int, reminder_id: int | None = None):
    if reminder_id is None:
        case, reminder = access.case_for(request.user, case_id).case, None
    else:
        case, reminder = _own(request, case_id, reminder_id)
    if request.method == "GET":
        record_access(request, AccessAction.VIEW, obj=case)
    initial = (
        {"due_on": reminder.due_on, "note": reminder.note, "version": reminder.version}
        if reminder
        else None
    )
    form = forms.ReminderForm(request.POST if request.method == "POST" else None, initial=initial)
    status, extra = 200, {}
    if case.status == CaseStatus.CLOSED and reminder is None:
        status = 400 if request.method == "POST" else 200
        form.add_error(None, "This case is closed, so a reminder cannot be added to it.")
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            data = {"due_on": form.cleaned_data["due_on"], "note": form.cleaned_data["note"]}
            try:
                if reminder is None:
                    services.reminder_add(actor=request.user, case=case, data=data)
                else:
                    services.reminder_update(
                        actor=request.user,
                        reminder=reminder,
                        version=form.cleaned_data["version"],
                        data=data,
                    )
            except StaleEdit as error:
                status, extra = 409, {"stale": stale_edit(form, error)}
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Reminder saved.")
                return _back(request, case.pk)
    return render(
        request,
        "casework/reminder_form.html",
        {
            "title": "Add a reminder" if reminder is None else "Change a reminder",
            "form": form,
            "case": case,
            "reminder": reminder,
            "next": request.GET.get("next") or request.POST.get("next") or "",
            **extra,
        },
        status=status,
    )


@on_cases
@require_POST
def reminder_done(request, case_id: int, reminder_id: int, action: str):
    """Mark a reminder done, or not done again ("undo")."""
    case, reminder = _own(request, case_id, reminder_id)
    changed = services.reminder_set_done(
        actor=request.user, reminder=reminder, done=action == "done"
    )
    if action == "done":
        messages.success(request, "Reminder done." if changed else "That reminder was done.")
    else:
        messages.success(
            request, "Reminder back on your list." if changed else "That reminder is on your list."
        )
    return _back(request, case.pk)


@on_cases
@require_http_methods(["GET", "POST"])
def reminder_delete(request, case_id: int, reminder_id: int):
    """Ask, then delete. A reminder already deleted answers 404 (nothing changes)."""
    case, reminder = _own(request, case_id, reminder_id)
    if request.method == "POST":
        services.reminder_delete(actor=request.user, reminder=reminder)
        messages.success(request, "Reminder deleted.")
        return _back(request, case.pk)
    record_access(request, AccessAction.VIEW, obj=case)
    return render(
        request,
        "casework/reminder_delete.html",
        {
            "title": "Delete a reminder",
            "case": case,
            "reminder": reminder,
            "next": request.GET.get("next") or "",
        },
    )
