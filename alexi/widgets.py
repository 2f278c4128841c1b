"""Form widgets and small fields every app's forms share (one place for each)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone


class DateInput(forms.DateInput):
    """The browser's date picker, sending and showing ISO dates (2026-03-01)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """The browser's time picker, sending and showing 24-hour times (14:30)."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class VersionField(forms.IntegerField):
    """The version of the record the person started editing from, carried in the form so a
    stale save is refused (alexi.locking)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


def not_future(value: date | None, what: str = "The date") -> date | None:
    """A date field's clean step: refuse a date after today, saying which date."""
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{what} cannot be in the future.")
    return value
