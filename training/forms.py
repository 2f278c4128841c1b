"""Quick-entry forms for training, groupwork and consultancy. Counts only, never names."""

from __future__ import annotations

from django import forms

from alexi.forms import GovukFormMixin
from alexi.models import Spoke
from alexi.widgets import DateInput, VersionField, not_future
from training.models import MAX_COUNT, AgeBand, Profession, Setting, TrainingKind


class ActivityForm(GovukFormMixin, forms.Form):
    spoke = forms.ModelChoiceField(queryset=Spoke.objects.none(), empty_label=None)
    date = forms.DateField(widget=DateInput)
    version = VersionField()

    def __init__(self, *args, spoke_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spoke"].queryset = Spoke.objects.filter(pk__in=spoke_ids).select_related(
            "hub", "local_authority"
        )

    def clean_date(self):
        return not_future(self.cleaned_data["date"])

    def record_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("spoke", "version")}


class TrainingForm(ActivityForm):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(
        label="What kind", choices=TrainingKind.choices, widget=forms.RadioSelect
    )
    confidence_before = forms.DecimalField(
        label="Average confidence before (1 to 5)",
        min_value=1,
        max_value=5,
        decimal_places=1,
        required=False,
    )
    confidence_after = forms.DecimalField(
        label="Average confidence after (1 to 5)",
        min_value=1,
        max_value=5,
        decimal_places=1,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Profession.choices:
            field = forms.IntegerField(
                label=label, min_value=0, max_value=MAX_COUNT, required=False
            )
            field.widget.attrs.update(
                {"class": "govuk-input govuk-input--width-4", "inputmode": "numeric"}
            )
            self.fields[f"attendees_{value}"] = field

    def attendee_fields(self):
        return [self[f"attendees_{value}"] for value in Profession.values]

    def attendance(self) -> dict[str, int]:
        return {
            value: self.cleaned_data.get(f"attendees_{value}") or 0 for value in Profession.values
        }

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"attendees_{value}") for value in Profession.values) and not any(
            self.has_error(f"attendees_{value}") for value in Profession.values
        ):
            self.add_error(None, "Enter how many people attended: at least one.")
        return cleaned

    def record_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("date", "title", "kind", "confidence_before", "confidence_after")
        }


class GroupworkForm(ActivityForm):
    title = forms.CharField(max_length=200)
    setting = forms.ChoiceField(choices=Setting.choices)
    young_people = forms.IntegerField(
        label="How many young people",
        min_value=1,
        max_value=MAX_COUNT,
        help_text="A count only: never names.",
    )
    age_band = forms.ChoiceField(label="Ages", choices=AgeBand.choices, initial=AgeBand.MIXED)


class ConsultationForm(ActivityForm):
    professional_role = forms.ChoiceField(label="Their role", choices=Profession.choices)
    agency = forms.CharField(label="Their agency", max_length=200, required=False)
    minutes = forms.IntegerField(min_value=1, max_value=24 * 60)
    topic = forms.CharField(
        max_length=300,
        required=False,
        help_text="What it was about, without the child's name or anything that identifies them.",
    )
