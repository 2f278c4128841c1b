"""Forms for the programme structure pages. Each lists its fields; nothing else is accepted.

A spoke's hub is chosen once, when it is added (moving a spoke would hand its cases to another
hub); a spoke ends on its own page (refused while it has cases or workers); a worker moves on
theirs (a request the new hub confirms)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from alexi.forms import GovukFormMixin
from alexi.models import (
    Funder,
    Hub,
    LocalAuthority,
    Role,
    Spoke,
    SpokeModel,
    User,
    WorkerProfile,
)
from alexi.widgets import DateInput, VersionField


class VersionedModelForm(GovukFormMixin, forms.ModelForm):
    """Carries the version the person started editing from, to refuse stale saves."""

    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget.attrs["class"] = "govuk-input govuk-input--width-10"

    def data_to_save(self) -> tuple[dict, dict]:
        """(plain fields, many-to-many fields) from the cleaned form."""
        plain, many = {}, {}
        for name in self._meta.fields:
            if name not in self.fields:
                continue  # left out of this form (a spoke's hub once it exists)
            field = self._meta.model._meta.get_field(name)
            (many if field.many_to_many else plain)[name] = self.cleaned_data[name]
        return plain, many

    def _post_clean(self):
        # Uniqueness and the model's own checks run in the service, on the locked row; here
        # only the unique ref is checked so the person sees it on the field.
        ref = self.cleaned_data.get("ref")
        if ref is not None:
            clash = self._meta.model.objects.filter(ref=ref).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("ref", "Another record already has this reference.")


class FunderForm(VersionedModelForm):
    class Meta:
        model = Funder
        fields = ["name", "ref"]
        labels = {"ref": "Reference"}
        help_texts = {"ref": "Used by imports and returns, like FUND-1."}


class HubForm(VersionedModelForm):
    class Meta:
        model = Hub
        fields = ["name", "ref", "home_las", "funders"]
        labels = {"ref": "Reference", "funders": "Funded by"}
        help_texts = {"ref": "Used by imports and returns, like HUB-NORTH."}
        widgets = {
            "home_las": forms.CheckboxSelectMultiple,
            "funders": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_las"].queryset = LocalAuthority.objects.filter(end_date__isnull=True)
        self.fields["home_las"].required = False
        self.fields["funders"].required = False


class SpokeForm(VersionedModelForm):
    class Meta:
        model = Spoke
        fields = ["ref", "hub", "local_authority", "host_agency", "model", "start_date"]
        labels = {"ref": "Reference", "host_agency": "Host agency"}
        widgets = {"model": forms.RadioSelect, "start_date": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].queryset = LocalAuthority.objects.filter(
            end_date__isnull=True
        )
        self.fields["model"].choices = SpokeModel.choices  # no blank radio
        self.fields["local_authority"].empty_label = "Choose an LA area"
        self.fields["hub"].empty_label = "Choose a hub"
        if self.instance.pk:
            del self.fields["hub"]  # chosen once: see the module docstring


class LocalAuthorityForm(VersionedModelForm):
    class Meta:
        model = LocalAuthority
        fields = ["name", "gss_code", "official_name", "kind", "region", "end_date", "replaced_by"]
        help_texts = {
            "gss_code": "The ONS code, like E08000025.",
            "end_date": "Only when the area was abolished or merged.",
        }
        widgets = {"end_date": DateInput}

    def _post_clean(self):
        code = self.cleaned_data.get("gss_code")
        if code is not None:
            clash = LocalAuthority.objects.filter(gss_code__iexact=code).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error("gss_code", "Another LA area already has this ONS code.")


class WorkerProfileForm(VersionedModelForm):
    class Meta:
        model = WorkerProfile
        fields = ["fte", "background", "qualifications", "years_experience"]
        widgets = {"qualifications": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"fte": "1 is full time, 0.5 is half time."}


class SpokeEndForm(GovukFormMixin, forms.Form):
    version = VersionField()
    end_date = forms.DateField(
        label="Last day of the spoke", widget=DateInput, initial=timezone.localdate
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].widget.attrs["class"] = "govuk-input govuk-input--width-10"


class WorkerMoveForm(GovukFormMixin, forms.Form):
    version = VersionField()
    spoke = forms.ModelChoiceField(
        label="Move to",
        queryset=Spoke.objects.none(),
        empty_label="Choose a spoke",
        help_text="The new hub's manager is asked to confirm before the move happens.",
    )

    def __init__(self, *args, current: Spoke, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["spoke"].queryset = (
            Spoke.objects.select_related("hub", "local_authority")
            .exclude(pk=current.pk)
            .exclude(end_date__lt=today)
        )


class ManagerRequestForm(GovukFormMixin, forms.Form):
    """Ask for someone who already manages another hub to manage this one as well."""

    manager = forms.ModelChoiceField(
        label="Hub manager",
        queryset=User.objects.none(),
        empty_label="Choose a hub manager",
        help_text="A manager of this hub (or another administrator, while it has none) is "
        "asked to confirm.",
    )

    def __init__(self, *args, hub: Hub, **kwargs):
        super().__init__(*args, **kwargs)
        current = hub.managements.not_ended().values("manager_id")
        self.fields["manager"].queryset = (
            User.objects.filter(role=Role.HUB_MANAGER, is_active=True)
            .exclude(pk__in=current)
            .order_by("full_name")
        )


FORMS = {
    "funders": FunderForm,
    "hubs": HubForm,
    "spokes": SpokeForm,
    "la-areas": LocalAuthorityForm,
    "workers": WorkerProfileForm,
}
