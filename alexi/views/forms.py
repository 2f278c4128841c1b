"""The form-view plumbing every app's views share: a service's refusal put onto the form, and a
stale edit shown with both versions (templates/includes/stale_edit.html, SECURITY.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name

from alexi.locking import Change, StaleEdit


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def stale_edit(form: forms.BaseForm, error: StaleEdit) -> list[dict]:
    """The rows of includes/stale_edit.html for a refused stale save (each field that differs:
    what the person entered, what is saved now). The form keeps what they entered and is moved
    on to the version saved now, so saving it again, having seen both, is their choice."""
    if form.is_bound and "version" in form.fields:
        form.data = form.data.copy()
        form.data["version"] = error.current.version
    return stale_rows(form, error.changes)


def stale_rows(form: forms.BaseForm, changes: Iterable[Change]) -> list[dict]:
    """Rows for includes/stale_edit.html, each field named by its label on the form."""
    rows = []
    for name, yours, theirs in changes:
        field = form.fields.get(name)
        label = (field.label if field is not None else None) or pretty_name(name)
        rows.append({"field": label, "yours": shown(yours, field), "theirs": shown(theirs, field)})
    return rows


def shown(value: Any, field: forms.Field | None = None) -> Any:
    """A value as a person reads it: a choice by its label, several values joined, yes or no."""
    if hasattr(value, "all") and callable(value.all):  # a many-to-many manager or queryset
        value = list(value.all())
    labels = _choice_labels(field)
    if isinstance(value, list | tuple | set):
        return ", ".join(str(labels.get(str(v), v)) for v in value) or None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return None
    return labels.get(str(value), value)


def _choice_labels(field: forms.Field | None) -> dict[str, Any]:
    # A model choice's value is shown by its own str(); its choices would be a query.
    if not isinstance(field, forms.ChoiceField) or isinstance(field, forms.ModelChoiceField):
        return {}
    labels: dict[str, Any] = {}
    for key, label in field.choices:
        if isinstance(label, list | tuple):  # a group of choices
            labels.update({str(k): v for k, v in label})
        else:
            labels[str(key)] = label
    return labels
