"""Form widgets and small fields every app's forms share (one place for each).

Dates (issue 13 item 5). A date of birth is a memorable date: people know it as three
numbers, and a calendar picker makes them page back through years of months on a phone, so it
is asked for with GOV.UK's date input (day, month and year boxes: MemorableDateField). Every
other date in Alexi is near today (a session, an assessment, a review due, a referral
received, a share's end, a closing date): the browser's own date picker (DateInput) suits
those best, opening on the current month, and on a phone it is the system's familiar wheel
or calendar; typing still works where a browser shows a text box.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

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


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
PARTS = ("day", "month", "year")


class MemorableDateInput(forms.MultiWidget):
    """GOV.UK's date input: three boxes named `<name>-day`, `<name>-month`, `<name>-year`
    (alexi/templates/alexi/widgets/memorable_date.html). A form posted with the single field
    `<name>=YYYY-MM-DD` (older pages, scripts, tests) is read as well."""

    template_name = "alexi/widgets/memorable_date.html"
    use_fieldset = True
    is_memorable_date = True  # templates/includes/field.html: a fieldset with a legend

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)
        self.error_parts: tuple[str, ...] = ()

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            try:
                day = date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [day.day, day.month, day.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if any(f"{name}-{part}" in data for part in PARTS):
            return [data.get(f"{name}-{part}", "") for part in PARTS]
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and not any(f"{name}-{part}" in data for part in PARTS)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = dict(attrs or {})
        whole_error = "govuk-input--error" in str(self.attrs.get("class", ""))
        if not isinstance(value, list | tuple):
            value = self.decompress(value)
        context = super().get_context(name, value, attrs)
        first = attrs.get("id") or f"id_{name}"
        for part, widget in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            error = part in self.error_parts or (whole_error and not self.error_parts)
            width = 4 if part == "year" else 2
            widget["name"] = f"{name}-{part}"
            widget["part"] = part
            widget["label"] = part.capitalize()
            widget["attrs"]["id"] = first if part == "day" else f"{first}-{part}"
            widget["attrs"]["class"] = (
                f"govuk-input govuk-date-input__input govuk-input--width-{width}"
                + (" govuk-input--error" if error else "")
            )
            widget["attrs"]["inputmode"] = "numeric"
            if part == "year":
                widget["attrs"]["autocomplete"] = "off"
        return context

    def id_for_label(self, id_: str) -> str:
        return id_


class MemorableDateField(forms.Field):
    """A date people know by heart (a date of birth), in GOV.UK's date input, with GOV.UK's
    messages: "Date of birth must include a month", "Date of birth must be a real date",
    "Year must include 4 numbers"; the boxes in error are outlined red. Also takes an ISO
    date (YYYY-MM-DD) posted as one field."""

    widget = MemorableDateInput

    def __init__(self, *, what: str = "Date", **kwargs: Any):
        self.what = what
        kwargs.setdefault("error_messages", {}).setdefault("required", f"Enter the {what.lower()}")
        kwargs.setdefault("help_text", "For example, 27 3 2010")
        super().__init__(**kwargs)

    def _problem(self, message: str, *parts: str) -> forms.ValidationError:
        if isinstance(self.widget, MemorableDateInput):
            self.widget.error_parts = parts
        return forms.ValidationError(message, code="invalid")

    def to_python(self, value: Any) -> date | None:
        if isinstance(self.widget, MemorableDateInput):
            self.widget.error_parts = ()
        if isinstance(value, date):
            return value
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            try:
                return date.fromisoformat(text)
            except ValueError:
                raise self._problem(f"{self.what} must be a real date") from None
        texts = [str(v or "").strip() for v in list(value)[:3]]
        if not any(texts):
            return None
        missing = [part for part, text in zip(PARTS, texts, strict=True) if not text]
        if missing:
            said = missing[0] if len(missing) == 1 else f"{missing[0]} and {missing[1]}"
            raise self._problem(f"{self.what} must include a {said}", *missing)
        day_text, month_text, year_text = texts
        month_number = MONTHS.get(month_text.lower()) if not month_text.isdigit() else None
        numbers_only = re.fullmatch(r"\d{1,2}", day_text) and re.fullmatch(r"\d{1,4}", year_text)
        if not numbers_only or not (month_text.isdigit() or month_number):
            wrong = tuple(
                part
                for part, text in zip(PARTS, texts, strict=True)
                if not (text.isdigit() or (part == "month" and MONTHS.get(text.lower())))
            )
            raise self._problem(f"{self.what} must be a real date", *(wrong or PARTS))
        if len(year_text) != 4:
            raise self._problem("Year must include 4 numbers", "year")
        try:
            return date(int(year_text), month_number or int(month_text), int(day_text))
        except ValueError:
            raise self._problem(f"{self.what} must be a real date", *PARTS) from None


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
