"""Forms for passkeys: a name, and the one setting administrators switch."""

from __future__ import annotations

from django import forms

from alexi.forms import GovukFormMixin
from alexi.passkeys.services import NAME_MAX_LENGTH


class PasskeyNameForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        help_text="So you can tell your passkeys apart, like “Work phone” or “Laptop”.",
    )


class PasskeyRequirementForm(GovukFormMixin, forms.Form):
    required = forms.TypedChoiceField(
        label="Programme administrators sign in with",
        choices=[
            ("no", "A passkey or a code from an authenticator app"),
            ("yes", "A passkey only (recovery codes still work if it is lost)"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
