"""Referral intake and triage decision forms. Each lists its fields."""

from __future__ import annotations

from django import forms

from alexi.forms import GovukFormMixin, RevealsByChoice
from alexi.models import LocalAuthority
from alexi.widgets import DateInput, MemorableDateField, not_future
from casework.forms import NoteField, hub_workers
from casework.models import Gender
from casework.services import current_tool
from referrals.models import Awareness, Decision, Source, Urgency


class ReferralForm(GovukFormMixin, forms.Form):
    hub = forms.ModelChoiceField(queryset=None, label="Hub", empty_label=None)
    received_on = forms.DateField(label="Received", widget=DateInput)
    source = forms.ChoiceField(label="Referred by", choices=Source.choices)
    urgency = forms.ChoiceField(
        choices=Urgency.choices, widget=forms.RadioSelect, initial=Urgency.ROUTINE
    )
    referrer_name = forms.CharField(label="Referrer's name", max_length=200, required=False)
    referrer_agency = forms.CharField(label="Their agency", max_length=200, required=False)
    referrer_role = forms.CharField(label="Their role", max_length=200, required=False)
    referrer_contact = forms.CharField(label="How to contact them", max_length=300, required=False)
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    date_of_birth = MemorableDateField(label="Date of birth", what="Date of birth", required=False)
    age = forms.IntegerField(
        label="Age, if no date of birth", min_value=5, max_value=25, required=False
    )
    gender = forms.ChoiceField(choices=Gender.choices, initial=Gender.NOT_KNOWN)
    local_authority = forms.ModelChoiceField(
        label="LA area",
        queryset=LocalAuthority.objects.filter(end_date__isnull=True),
        required=False,
        empty_label="Not known",
    )
    concerns = NoteField(label="The concerns", rows=4)
    indicators = forms.MultipleChoiceField(
        label="Initial indicators", required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    young_person_aware = forms.ChoiceField(
        label="Does the young person know about and agree to the referral?",
        choices=Awareness.choices,
        widget=forms.RadioSelect,
        initial=Awareness.NOT_KNOWN,
    )

    def __init__(self, *args, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = hubs
        self.fields["indicators"].choices = [
            (i["key"], i["label"])
            for g in current_tool().definition["groups"]
            for i in g["indicators"]
        ]

    def clean_received_on(self):
        return not_future(self.cleaned_data["received_on"])

    def clean_date_of_birth(self):
        return not_future(self.cleaned_data["date_of_birth"], "A date of birth")

    def clean_indicators(self):
        return list(dict.fromkeys(self.cleaned_data["indicators"]))

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("first_name") or cleaned.get("last_name")) and not self.has_error(
            "first_name"
        ):
            self.add_error(
                "first_name",
                "Enter at least a first name or a last name: a first name and an age are "
                "enough to start.",
            )
        return cleaned

    def referral_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "hub"}


class DecisionForm(GovukFormMixin, RevealsByChoice):
    reveal = (
        "decision",
        {
            Decision.ACCEPTED: ["worker", "link_to"],
            Decision.SIGNPOSTED: ["signposted_to"],
            Decision.DECLINED: ["reason"],
        },
    )
    decision = forms.ChoiceField(
        choices=[
            (Decision.ACCEPTED, "Accept and allocate a worker"),
            (Decision.SIGNPOSTED, "Signpost to another service"),
            (Decision.DECLINED, "Decline"),
            (Decision.WAITING, "Put on the waiting list"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision: accept, signpost, decline or wait."},
    )
    worker = forms.ModelChoiceField(
        queryset=None, required=False, label="Worker", empty_label="Choose a worker"
    )
    link_to = forms.ChoiceField(
        label="Young person",
        required=False,
        widget=forms.RadioSelect,
        choices=[],
        help_text="Someone with an open case at this hub keeps that case: the referral is "
        "added to it, and no worker needs choosing.",
    )
    reason = NoteField(label="Why it is declined", rows=3)
    signposted_to = forms.CharField(label="Signposted to", max_length=300, required=False)

    def __init__(self, *args, hub_id: int, link_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = hub_workers(hub_id)
        self.fields["link_to"].choices = [("new", "Someone new"), *link_choices]
        self.fields["link_to"].initial = "new"
