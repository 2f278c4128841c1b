"""The administrators' form on the Returns page: which quarter's returns to make."""

from __future__ import annotations

from django import forms

from alexi.forms import refuse_unusable_token
from reporting.returns import ended_quarter, quarter_label


class MakeReturnsForm(forms.Form):
    quarter = forms.CharField(
        label="Quarter",
        max_length=20,
        error_messages={"required": "Enter a quarter, like 2026Q3."},
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-5", "spellcheck": "false"}
        ),
    )
    regenerate = forms.BooleanField(
        required=False,
        label="Make new versions (the old ones stay)",
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "g-%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        refuse_unusable_token(self)  # sent without its one-time token: nothing is asked for
        return cleaned

    def clean_quarter(self) -> str:
        """A quarter, written like 2026Q3, that has ended (the same test every path uses)."""
        try:
            return quarter_label(ended_quarter(self.cleaned_data["quarter"]))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
