from __future__ import annotations

from django import forms

from alexi.forms import GovukFormMixin
from alexi.notifications.models import DigestFrequency


class DigestForm(GovukFormMixin, forms.Form):
    digest = forms.ChoiceField(
        label="Email summary",
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        help_text="How many unread notifications you have, and a link to Alexi. It never names a "
        "young person or a case.",
        error_messages={"required": "Choose how often you want the email summary."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
