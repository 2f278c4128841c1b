"""Forms for sign-in, invitations and people. Each lists its fields; nothing else is accepted."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxLengthValidator
from django.forms.utils import pretty_name
from django.template import loader

from alexi.models import Funder, Hub, Role, Spoke, User
from alexi.submissions.once import problem as submission_problem


class GovukFormMixin:
    """Give each widget its govuk-frontend class and point it at its hint and error text."""

    widget_classes = {
        forms.Select: "govuk-select",
        forms.Textarea: "govuk-textarea",
        forms.RadioSelect: "",
        forms.CheckboxSelectMultiple: "",
        forms.CheckboxInput: "govuk-checkboxes__input",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            plain_blank_choice(field)
            plain_required_message(name, field)
            css = self.widget_classes.get(type(field.widget), "govuk-input")
            if css:
                field.widget.attrs["class"] = css
            if isinstance(field, forms.IntegerField | forms.DecimalField):
                field.widget.attrs["class"] = "govuk-input govuk-input--width-5"
            if isinstance(field, forms.CharField) and field.max_length:
                limit_text(name, field)

    def full_clean(self):
        super().full_clean()
        refuse_unusable_token(self)
        for name in self.errors:
            if name in self.fields:
                field = self.fields[name]
                widget = field.widget
                described = [f"id_{name}-error"]
                if field.help_text:
                    described.insert(0, f"id_{name}_helptext")
                if getattr(field, "character_limit", None):
                    described.append(f"id_{name}-info")
                widget.attrs["aria-describedby"] = " ".join(described)
                widget.attrs["class"] = (
                    widget.attrs.get("class", "") + " govuk-input--error"
                ).strip()


DASHES = "---------"  # Django's blank choice (BLANK_CHOICE_DASH, ModelChoiceField.empty_label)
CHOOSE = "Choose one"


def plain_blank_choice(field: forms.Field) -> None:
    """Never show Django's "---------" as a choice: a list's blank first option says what to
    do ("Choose a worker", set on the field as empty_label, or "Choose one" when the field
    said nothing), and a blank radio button is dropped (a radio needs no empty option)."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DASHES:
            field.empty_label = None if isinstance(field.widget, forms.RadioSelect) else CHOOSE
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)
        if any(label == DASHES for _, label in choices):
            radio = isinstance(field.widget, forms.RadioSelect)
            field.choices = [
                (value, CHOOSE if label == DASHES else label)
                for value, label in choices
                if not (radio and label == DASHES)
            ]


DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])


def plain_required_message(name: str, field: forms.Field) -> None:
    """Never say Django's "This field is required.": a field left empty that has no message
    of its own is named, with what to do: "Answer ‘Did you meet?’" for a question, "Choose
    ‘Lawful basis’" for a list or radios, "Enter ‘Why’" for anything typed."""
    if not field.required or str(field.error_messages.get("required")) != DJANGO_REQUIRED:
        return
    label = str(field.label or pretty_name(name)).strip().rstrip(":")
    if label.endswith("?"):
        message = f"Answer ‘{label}’"
    elif isinstance(field, forms.BooleanField):
        message = f"Tick ‘{label}’."
    elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        message = f"Choose ‘{label}’."
    else:
        message = f"Enter ‘{label}’."
    field.error_messages = {**field.error_messages, "required": message}


class RevealsByChoice(forms.Form):
    """A radio question whose answers each bring their own fields (GOV.UK's conditional
    reveal): `reveal = ("decision", {"accepted": ["worker"], "declined": ["reason"]})`, shown by
    templates/includes/reveal_radios.html. With JavaScript (alexi.js, data-reveals) only the
    chosen answer's fields show; without it every field shows under its answer. Either way the
    server checks only the chosen answer's fields (the form's clean or the service). Use as
    `class DecisionForm(GovukFormMixin, RevealsByChoice)`."""

    reveal: tuple[str, dict[str, list[str]]]

    def full_clean(self) -> None:
        """The fields of answers not chosen are hidden, so their problems are not the
        person's: drop them, and clean those fields to empty (nothing typed there is kept).
        GovukFormMixin, listed first, then marks only the errors that remain."""
        super().full_clean()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        name, parts = self.reveal
        chosen = str(self.cleaned_data.get(name) or "")
        for answer, names in parts.items():
            if str(answer) == chosen:
                continue
            for other in names:
                if other in self.fields:
                    self._errors.pop(other, None)
                    self.cleaned_data[other] = self.fields[other].to_python(None)

    @property
    def reveal_field(self) -> forms.BoundField:
        return self[self.reveal[0]]

    @property
    def reveal_options(self) -> list[tuple[Any, list[forms.BoundField]]]:
        name, parts = self.reveal
        options = []
        for option in self[name]:
            names = parts.get(str(option.data["value"]), [])
            options.append((option, [self[f] for f in names if f in self.fields]))
        return options


class TextLimit(MaxLengthValidator):
    """Refuse text over the field's limit, saying the limit and how long the text is."""

    def __init__(self, limit: int, label: str):
        super().__init__(limit)
        self.label = label

    def __call__(self, value):
        if self.compare(self.clean(value), self.limit_value):
            raise forms.ValidationError(
                f"{self.label} must be {self.limit_value:,} characters or fewer; "
                f"this has {len(value):,}.",
                code="max_length",
            )


def limit_text(name: str, field: forms.CharField) -> None:
    """Text over a field's limit is refused with a message, never cut: no `maxlength` (a
    browser silently cuts pasted text to it); long text gets a character count
    (govuk-frontend's, shown near the limit) in templates/includes/field.html."""
    field.widget.attrs.pop("maxlength", None)
    field.validators = [
        validator for validator in field.validators if not isinstance(validator, MaxLengthValidator)
    ] + [TextLimit(field.max_length, field.label or pretty_name(name))]
    if isinstance(field.widget, forms.Textarea):
        # Browsers send each new line as two characters but count it as one: keep one, so
        # the count shown and the limit applied agree.
        field.to_python = _one_newline(field.to_python)
        field.character_limit = field.max_length
        field.widget.attrs["class"] = "govuk-textarea govuk-js-character-count"
        field.widget.attrs["aria-describedby"] = " ".join(
            [f"id_{name}_helptext"] * bool(field.help_text) + [f"id_{name}-info"]
        )


def _one_newline(to_python):
    def convert(value):
        value = to_python(value)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value

    return convert


def refuse_unusable_token(form, field: str | None = None) -> None:
    """A create form sent with a token that cannot be used (alexi/submissions) is not valid:
    it comes back with the person's entries and says why nothing was saved (on `field` for a
    page that shows no error summary)."""
    why = submission_problem()
    if why and form.is_bound and why not in form.errors.get(field or NON_FIELD_ERRORS, []):
        form.add_error(field, why)


class SignInForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="username", spellcheck="false")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            autocomplete="one-time-code", inputmode="text", spellcheck="false"
        )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).lower()
        if not code.isalnum():
            raise forms.ValidationError("Enter the code using letters and numbers only.")
        return code


# Said wherever someone whose role signs in with a passkey (and who has one) gives an
# authenticator-app code instead: the sign-in page and every "confirm it is you" form.
PASSKEY_ONLY_CODE_REFUSED = (
    "Your role signs in with a passkey: use your passkey on this page. If you do not have it "
    "with you, enter one of your recovery codes."
)


class ConfirmItIsYouForm(GovukFormMixin, forms.Form):
    """Password and a current code from the authenticator app, asked again before a change that
    would let whoever holds the session sign in later (new recovery codes): a session alone is
    not enough. For someone whose role signs in with a passkey and who has one (`passkey_only`),
    as at sign-in: a passkey used on the page, or else a recovery code; never an app code."""

    password = forms.CharField(label="Your password", strip=False, widget=forms.PasswordInput)
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=16,
        help_text="The 6-digit code your app shows for Alexi now (not a recovery code).",
    )

    def __init__(self, *args, passkey_confirmed: bool = False, passkey_only: bool = False, **kw):
        self.passkey_confirmed = passkey_confirmed
        self.passkey_only = passkey_only
        super().__init__(*args, **kw)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")
        code = self.fields["code"]
        if passkey_only:
            code.label = "Recovery code (only without your passkey)"
            code.help_text = (
                "Use your passkey above. If you do not have it with you, enter one of your "
                "recovery codes: each works once."
            )
            code.widget.attrs.update(autocomplete="off", inputmode="text", spellcheck="false")
        else:
            code.widget.attrs.update(autocomplete="one-time-code", inputmode="numeric")
        if passkey_confirmed or passkey_only:
            # The passkey just used stands in for the code; with passkeys only, the missing
            # passkey is said in plain words by clean_code, not as "this field is required".
            code.required = False

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if self.passkey_confirmed and not code:
            return ""
        if self.passkey_only:
            if not code or (code.isdigit() and len(code) == 6):
                raise forms.ValidationError(PASSKEY_ONLY_CODE_REFUSED)
            if not code.isalnum():
                raise forms.ValidationError("Enter the recovery code using letters and numbers.")
            return code.lower()
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6 digits your app shows now, like 123456.")
        return code


class SetupCodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Code from your app",
        max_length=8,
        help_text="Enter the 6-digit code your authenticator app shows for Alexi.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(autocomplete="one-time-code", inputmode="numeric")

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6 digits your app shows, like 123456.")
        return code


class ChoosePasswordForm(GovukFormMixin, forms.Form):
    """Choose a password: at least 12 characters, no composition rules, not a common one."""

    password1 = forms.CharField(
        label="New password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. A few unrelated words make a strong password.",
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords are different. Type them again.")
        elif p1:
            try:
                password_validation.validate_password(p1, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class InviteForm(GovukFormMixin, forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(label="Role", choices=Role.choices, widget=forms.RadioSelect)
    hubs = forms.ModelMultipleChoiceField(
        label="Hubs they manage",
        queryset=Hub.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    spoke = forms.ModelChoiceField(
        label="Spoke",
        queryset=Spoke.objects.select_related("hub", "local_authority"),
        required=False,
        empty_label="Choose a spoke",
    )
    fte = forms.DecimalField(
        label="FTE",
        min_value=0.05,
        max_value=1,
        decimal_places=2,
        required=False,
        help_text="1 is full time, 0.5 is half time.",
    )
    background = forms.CharField(label="Professional background", max_length=200, required=False)
    qualifications = forms.CharField(
        label="Qualifications",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    years_experience = forms.IntegerField(
        label="Years of experience", min_value=0, max_value=60, required=False
    )
    funder = forms.ModelChoiceField(
        label="Funder", queryset=Funder.objects.all(), required=False, empty_label="Choose a funder"
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Someone with this email address already has an account.")
        return email

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role == Role.HUB_MANAGER and not cleaned.get("hubs"):
            self.add_error("hubs", "Choose at least one hub for a hub manager.")
        if role == Role.SPOKE_WORKER and not cleaned.get("spoke"):
            self.add_error("spoke", "Choose the spoke this worker is attached to.")
        if role == Role.FUNDER and not cleaned.get("funder"):
            self.add_error("funder", "Choose the funder this person works for.")
        return cleaned


class PasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    """Django's reset form, doing the same work whether or not the address has an account (a
    stand-in person gets a link made and the email written, then nothing is sent), and never
    sending in the request. The view also pads every answer to the same minimum time."""

    def get_users(self, email):
        users = list(super().get_users(email))
        if not users:
            stand_in = User(email=email, full_name="")
            stand_in.set_unusable_password()
            stand_in.is_stand_in = True
            users = [stand_in]
        return users

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        if getattr(context["user"], "is_stand_in", False):
            return
        queue_email(subject, body, to_email)


def queue_email(subject: str, body: str, to: str) -> None:
    """Hand an email to the worker; with no broker, send it beside the request (a thread), so
    how long the page takes never depends on the mail server."""
    from alexi.tasks import send_email

    if settings.CELERY_TASK_ALWAYS_EAGER and settings.SEND_EMAIL_BESIDE_REQUEST:
        threading.Thread(target=send_email, args=(subject, body, to), daemon=True).start()
        return
    try:
        send_email.delay(subject, body, to)
    except Exception:  # noqa: BLE001 (broker down: say so in the log, answer alike)
        logging.getLogger("alexi.auth").exception("Could not queue a password-reset email")


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    pass
