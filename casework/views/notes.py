"""Case notes: what is not a session with the young person, recorded and changed by those who
may record on the case (the same gate as sessions)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from alexi.audit import record_access
from alexi.models import AccessAction
from alexi.submissions.once import once_only
from casework import access, forms, services
from casework.models import CaseNote
from casework.views._common import _require, on_cases
from casework.views.case_page import _save_versioned


@on_cases
@require_http_methods(["GET", "POST"])
@once_only(what="the case note", unless="note_id")
def note_form(request, case_id: int, note_id: int | None = None):
    allowed = access.case_for(request.user, case_id)
    case = allowed.case
    _require(allowed.may_record)
    note = access.child_for(request.user, CaseNote, case_id, note_id) if note_id else None
    if note is not None and request.method == "GET":
        record_access(request, AccessAction.VIEW, obj=note)
    initial = None
    if note is not None:
        initial = {
            "date": note.date,
            "kind": note.kind,
            "with_whom": note.with_whom,
            "text": note.text,
            "version": note.version,
        }
    form = forms.CaseNoteForm(request.POST if request.method == "POST" else None, initial=initial)

    def save(version):
        if note is None:
            return services.case_note_record(
                actor=request.user, case=case, data=form.service_data()
            )
        return services.case_note_update(
            actor=request.user, note=note, version=version, data=form.service_data()
        )

    done, status, extra = _save_versioned(request, form, case, save, "Case note saved.")
    if done:
        return done
    return render(
        request,
        "casework/note_form.html",
        {
            "title": "Add a case note" if note is None else "Change a case note",
            "form": form,
            "case": case,
            "record": note,
            **extra,
        },
        status=status,
    )
