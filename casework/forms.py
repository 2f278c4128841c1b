"""Casework forms. Each lists its fields: the case always comes from the URL, never the form."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from alexi.forms import GovukFormMixin, RevealsByChoice
from alexi.models import Role, Spoke, User
from alexi.widgets import DateInput, MemorableDateField, TimeInput, VersionField, not_future
from casework.chronology import KINDS as CHRONOLOGY_KINDS
from casework.chronology import Filters as ChronologyFilters
from casework.models import (
    NEXT_MEETING_PLACE_MAX,
    NOTE_MAX,
    REMINDER_NOTE_MAX,
    Agency,
    AssessmentKind,
    Attendance,
    ClosureReason,
    ContactMethod,
    Gender,
    LawfulBasis,
    MultiAgencyPurpose,
    NoReductionReason,
    NoteKind,
    RiskLevel,
    Theme,
    VenueType,
    YoungPersonInformed,
)

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("", "Not recorded")]


def _bool_or_none(value: str):
    return {"yes": True, "no": False}.get(value)


class NoteField(forms.CharField):
    def __init__(self, *args, rows: int = 4, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", NOTE_MAX)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(*args, **kwargs)


class VersionedForm(GovukFormMixin, forms.Form):
    """Carries the version the user started editing from, to refuse stale saves."""

    version = VersionField()


class SessionForm(VersionedForm):
    date = forms.DateField(widget=DateInput, initial=timezone.localdate)
    attendance = forms.ChoiceField(
        label="Did you meet?",
        choices=Attendance.choices,
        widget=forms.RadioSelect,
        initial=Attendance.ATTENDED,
    )
    contact_method = forms.ChoiceField(
        label="How",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        initial=ContactMethod.FACE_TO_FACE,
    )
    venue_type = forms.ChoiceField(
        label="Where", choices=[("", "Choose a place"), *VenueType.choices], required=False
    )
    young_person_chose = forms.ChoiceField(
        label="Did the young person choose where and when?",
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
        required=False,
    )
    duration_minutes = forms.IntegerField(
        label="How long (minutes)", min_value=1, max_value=720, required=False
    )
    themes = forms.MultipleChoiceField(
        label="What you talked about",
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    young_person_words = NoteField(
        label="In the young person's own words",
        rows=3,
        help_text="Optional. What they said, as they said it.",
    )
    notes = NoteField(label="Notes")
    next_meeting_on = forms.DateField(label="Day", widget=DateInput, required=False)
    next_meeting_time = forms.TimeField(label="Time", widget=TimeInput, required=False)
    next_meeting_place = forms.CharField(
        label="Place",
        max_length=NEXT_MEETING_PLACE_MAX,
        required=False,
        help_text="Where the young person would like to meet.",
    )

    def clean_date(self):
        return not_future(self.cleaned_data["date"])

    def clean_themes(self):
        return list(dict.fromkeys(self.cleaned_data["themes"]))

    def clean_next_meeting_place(self):
        return " ".join(self.cleaned_data["next_meeting_place"].split())

    def clean(self):
        """The next meeting is optional, but all three parts or none; its date is today or
        later (a date already noted on the session being changed may stay as it was) and
        within a year."""
        data = super().clean()
        parts = ("next_meeting_on", "next_meeting_time", "next_meeting_place")
        if any(name in self.errors for name in parts):
            return data
        given = {name: data.get(name) for name in parts}
        if any(given.values()) and not all(given.values()):
            missing = {
                "next_meeting_on": "Enter the date of the next meeting",
                "next_meeting_time": "Enter the time of the next meeting",
                "next_meeting_place": "Enter the place of the next meeting",
            }
            for name, value in given.items():
                if not value:
                    self.add_error(
                        name, f"{missing[name]}, or leave all three next meeting boxes empty."
                    )
            return data
        day = given["next_meeting_on"]
        if day and day != self.initial.get("next_meeting_on"):
            today = timezone.localdate()
            if day < today:
                self.add_error("next_meeting_on", "The next meeting cannot be in the past.")
            elif day > today + timedelta(days=366):
                self.add_error("next_meeting_on", "The next meeting must be within a year.")
        return data

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["young_person_chose"] = _bool_or_none(data["young_person_chose"])
        return data


class AssessmentForm(VersionedForm):
    kind = forms.ChoiceField(
        label="Type of assessment", choices=AssessmentKind.choices, widget=forms.RadioSelect
    )
    assessed_on = forms.DateField(label="Date", widget=DateInput, initial=timezone.localdate)
    indicators = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    no_indicators_present = forms.BooleanField(
        label="No indicators present",
        required=False,
        help_text="Tick this when you have gone through every indicator and none is present. "
        "An assessment needs indicators or this.",
    )
    final_level = forms.ChoiceField(
        label="Your professional judgement",
        choices=[("", "Same as the tool"), *RiskLevel.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    rationale = NoteField(
        label="Why you chose this level",
        rows=3,
        help_text="Needed when your level differs from the tool's, or is lower than at the "
        "last assessment.",
    )
    young_person_view = NoteField(
        label="The young person's own view",
        rows=3,
        help_text="How they see their situation, in their words if you can.",
    )
    next_review_due = forms.DateField(
        label="Next review due",
        widget=DateInput,
        required=False,
        help_text="Leave empty for the usual cadence: high 4 weeks, medium 6, low 12.",
    )

    def __init__(self, *args, tool=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tool = tool
        if tool is not None:
            self.fields["indicators"].choices = [
                (indicator["key"], indicator["label"])
                for group in tool.definition["groups"]
                for indicator in group["indicators"]
            ]

    def groups(self):
        """Indicator checkboxes grouped as the tool groups them, with help text."""
        if self.tool is None:
            return []
        selected = set(self["indicators"].value() or [])
        return [
            {
                "key": group["key"],
                "label": group["label"],
                "help": group.get("help", ""),
                "weight": group["weight"],
                "indicators": [
                    {**indicator, "checked": indicator["key"] in selected}
                    for indicator in group["indicators"]
                ],
            }
            for group in self.tool.definition["groups"]
        ]

    def clean_assessed_on(self):
        return not_future(self.cleaned_data["assessed_on"])

    def clean_indicators(self):
        return list(dict.fromkeys(self.cleaned_data["indicators"]))

    def clean(self):
        cleaned = super().clean()
        due, on = cleaned.get("next_review_due"), cleaned.get("assessed_on")
        if due and on and due <= on:
            self.add_error("next_review_due", "The next review must be after this assessment.")
        return cleaned

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class InformationShareForm(GovukFormMixin, forms.Form):
    shared_on = forms.DateField(label="Date shared", widget=DateInput, initial=timezone.localdate)
    recipient_agency = forms.CharField(label="Shared with (agency)", max_length=200)
    recipient_role = forms.CharField(label="Their role", max_length=200, required=False)
    what_shared = NoteField(label="What was shared", required=True, rows=3)
    lawful_basis = forms.ChoiceField(
        label="Lawful basis", choices=LawfulBasis.choices, widget=forms.RadioSelect
    )
    young_person_informed = forms.ChoiceField(
        label="Was the young person told?",
        choices=YoungPersonInformed.choices,
        widget=forms.RadioSelect,
    )
    reason_not_informed = NoteField(
        label="Why they were not told, or did not agree",
        rows=3,
        help_text="Needed unless they were told and agreed.",
    )

    def clean_shared_on(self):
        return not_future(self.cleaned_data["shared_on"])

    def clean(self):
        cleaned = super().clean()
        informed = cleaned.get("young_person_informed")
        if (
            informed
            and informed != YoungPersonInformed.TOLD_AND_AGREED
            and not (cleaned.get("reason_not_informed") or "").strip()
        ):
            self.add_error(
                "reason_not_informed", "Say why the young person was not told or did not agree."
            )
        return cleaned


class AgencyContactForm(GovukFormMixin, forms.Form):
    contact_on = forms.DateField(label="Date", widget=DateInput, initial=timezone.localdate)
    agency = forms.ChoiceField(choices=Agency.choices)
    purpose = forms.ChoiceField(choices=MultiAgencyPurpose.choices)
    outcome = NoteField(label="Outcome", rows=3)

    def clean_contact_on(self):
        return not_future(self.cleaned_data["contact_on"])


class ClosureForm(GovukFormMixin, forms.Form):
    closed_on = forms.DateField(label="Closing date", widget=DateInput, initial=timezone.localdate)
    closure_reason = forms.ChoiceField(
        label="Why is the case closing?", choices=ClosureReason.choices, widget=forms.RadioSelect
    )
    no_reduction_reason = forms.ChoiceField(
        label="If the risk is not lower than at the start, why?",
        choices=[("", "Not needed: the risk is lower"), *NoReductionReason.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    note = NoteField(label="Anything your manager should know", rows=3)


class ReturnClosureForm(GovukFormMixin, forms.Form):
    note = NoteField(
        label="What needs doing before the case can close",
        required=True,
        rows=3,
        error_messages={"required": "Say what needs doing before the case can close."},
    )
    next_review_due = forms.DateField(
        label="Next review due (optional)",
        widget=DateInput,
        required=False,
        help_text="The case is open again, so it needs a review date. Leave empty to go back "
        "to the date it had before the closing assessment.",
    )

    def clean_next_review_due(self):
        from casework.services import check_review_date

        day = self.cleaned_data["next_review_due"]
        if day is not None:
            try:
                check_review_date(day)
            except forms.ValidationError as error:
                raise forms.ValidationError(error.message_dict["next_review_due"]) from None
        return day


def hub_workers(hub_id: int):
    return User.objects.filter(
        role=Role.SPOKE_WORKER, is_active=True, worker_profile__spoke__hub_id=hub_id
    ).order_by("full_name")


class AllocateForm(GovukFormMixin, forms.Form):
    worker = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Worker", empty_label="Choose a worker"
    )
    reason = forms.CharField(label="Reason (optional)", max_length=300, required=False)

    def __init__(self, *args, hub_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = hub_workers(hub_id)


class ShareForm(GovukFormMixin, forms.Form):
    worker = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Share with", empty_label="Choose a worker"
    )
    reason = forms.CharField(
        label="Why",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: cover while I am on leave.",
    )
    expires_on = forms.DateField(
        label="Until",
        widget=DateInput,
        initial=lambda: timezone.localdate() + timedelta(days=14),
        help_text="At most 90 days from today. Access stops at the end of that day.",
    )

    def __init__(self, *args, hub_id: int, exclude_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = hub_workers(hub_id).exclude(pk=exclude_id)


class TransferForm(GovukFormMixin, forms.Form):
    to_spoke = forms.ModelChoiceField(
        queryset=Spoke.objects.none(), label="Receiving spoke", empty_label="Choose a spoke"
    )
    reason = forms.CharField(label="Why", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, from_hub_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_spoke"].queryset = (
            Spoke.objects.exclude(hub_id=from_hub_id)
            .filter(end_date__isnull=True)
            .select_related("hub", "local_authority")
        )


class TransferDecisionForm(GovukFormMixin, RevealsByChoice):
    reveal = ("decision", {"accept": ["worker"]})
    decision = forms.ChoiceField(
        choices=[("accept", "Accept the case"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept the case or decline it."},
    )
    worker = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Worker who will hold the case",
        empty_label="Choose a worker",
    )

    def __init__(self, *args, hub_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = hub_workers(hub_id)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "accept" and not cleaned.get("worker"):
            self.add_error("worker", "Choose the worker who will hold the case.")
        return cleaned


class BreakGlassForm(GovukFormMixin, forms.Form):
    reference = forms.RegexField(
        label="Case reference",
        regex=r"^\s*[Cc]-?\d{1,9}\s*$",
        max_length=20,
        help_text="For example C-000123.",
        error_messages={"invalid": "Enter a case reference like C-000123."},
    )
    justification = forms.CharField(
        label="Why you need this case now",
        min_length=20,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The case's hub managers are told at once and see this reason.",
    )

    def case_id(self) -> int:
        return int("".join(ch for ch in self.cleaned_data["reference"] if ch.isdigit()))


class YoungPersonFields(GovukFormMixin, forms.Form):
    """The young person's details, shared by opening a case and changing the details."""

    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    preferred_name = forms.CharField(
        max_length=100, required=False, help_text="What they like to be called."
    )
    date_of_birth = MemorableDateField(label="Date of birth", what="Date of birth", required=False)
    gender = forms.ChoiceField(choices=Gender.choices, initial=Gender.NOT_KNOWN)
    ethnicity = forms.CharField(max_length=100, required=False)
    disability_sen = forms.ChoiceField(
        label="Disability or SEN", choices=YES_NO_UNKNOWN, widget=forms.RadioSelect, required=False
    )
    looked_after = forms.ChoiceField(
        label="Looked after", choices=YES_NO_UNKNOWN, widget=forms.RadioSelect, required=False
    )
    contact_preference = forms.CharField(
        label="How they like to be contacted", max_length=300, required=False
    )

    PERSON_FIELDS = (
        "first_name",
        "last_name",
        "preferred_name",
        "date_of_birth",
        "gender",
        "ethnicity",
        "disability_sen",
        "looked_after",
        "contact_preference",
    )

    def clean_date_of_birth(self):
        value = not_future(self.cleaned_data["date_of_birth"], "A date of birth")
        if value and value < timezone.localdate() - timedelta(days=366 * 26):
            raise forms.ValidationError(
                "Check the date of birth: the service works with under-25s."
            )
        return value

    def person_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.PERSON_FIELDS}
        data["disability_sen"] = _bool_or_none(data["disability_sen"])
        data["looked_after"] = _bool_or_none(data["looked_after"])
        return data

    @staticmethod
    def initial_from(person) -> dict:
        initial = {name: getattr(person, name) for name in YoungPersonFields.PERSON_FIELDS}
        for name in ("disability_sen", "looked_after"):
            initial[name] = {True: "yes", False: "no"}.get(initial[name], "")
        return initial


class YoungPersonForm(YoungPersonFields):
    version = VersionField()

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("first_name") or cleaned.get("preferred_name")):
            self.add_error("first_name", "Enter a first name or the name they like to be called.")
        return cleaned


class OpenCaseForm(YoungPersonFields):
    existing_reference = forms.RegexField(
        label="Young person already known to your hub (optional)",
        regex=r"^\s*[Yy][Pp]-?\d{1,9}\s*$",
        max_length=20,
        required=False,
        help_text="For someone referred again, enter their reference, like YP-000123. "
        "Their earlier cases stay visible only to those already allowed to see them.",
        error_messages={"invalid": "Enter a reference like YP-000123."},
    )
    spoke = forms.ModelChoiceField(queryset=Spoke.objects.none(), empty_label="Choose a spoke")
    worker = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Allocate to", empty_label="Choose a worker"
    )
    opened_on = forms.DateField(label="Case opened", widget=DateInput, initial=timezone.localdate)

    field_order = ["existing_reference", *YoungPersonFields.PERSON_FIELDS]

    def __init__(self, *args, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spoke"].queryset = Spoke.objects.filter(hub__in=hubs).select_related(
            "hub", "local_authority"
        )
        self.fields["worker"].queryset = User.objects.filter(
            role=Role.SPOKE_WORKER, is_active=True, worker_profile__spoke__hub__in=hubs
        ).order_by("full_name")

    def clean_opened_on(self):
        return not_future(self.cleaned_data["opened_on"])

    def existing_id(self) -> int | None:
        reference = self.cleaned_data.get("existing_reference") or ""
        digits = "".join(ch for ch in reference if ch.isdigit())
        return int(digits) if digits else None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("existing_reference") and not (
            cleaned.get("first_name") or cleaned.get("preferred_name")
        ):
            self.add_error("first_name", "Enter a first name, or the reference of someone known.")
        return cleaned

    def person_data(self) -> dict:
        data = super().person_data()
        data["local_authority"] = self.cleaned_data["spoke"].local_authority
        return data


class ReminderForm(VersionedForm):
    due_on = forms.DateField(
        label="Date",
        widget=DateInput,
        error_messages={"required": "Enter the date of the reminder."},
    )
    note = forms.CharField(
        label="What to remember",
        max_length=REMINDER_NOTE_MAX,
        error_messages={"required": "Enter what you want to be reminded of."},
        help_text="A short note, for example \u201cring school about Tuesday\u201d. Only you "
        "see your reminders.",
    )


class CaseNoteForm(VersionedForm):
    """A case note: what is not a session with the young person (chronology, issue 13)."""

    date = forms.DateField(
        widget=DateInput,
        initial=timezone.localdate,
        error_messages={"required": "Enter the date of the call, meeting or message."},
    )
    kind = forms.ChoiceField(
        label="What was it",
        error_messages={"required": "Choose what it was."},
        choices=NoteKind.choices,
        widget=forms.RadioSelect,
        initial=NoteKind.PHONE_CALL,
    )
    with_whom = forms.CharField(
        label="With whom (optional)",
        max_length=200,
        required=False,
        help_text="For example, their head of year, or the strategy meeting.",
    )
    text = NoteField(
        label="Note", required=True, rows=6, error_messages={"required": "Write the note."}
    )

    def clean_date(self):
        return not_future(self.cleaned_data["date"])

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ChronologyFilterForm(GovukFormMixin, forms.Form):
    """The case page's chronology filters, sent with GET so the address keeps them (Back and
    a bookmark bring the same view back). Nothing filled in: everything, newest first."""

    view = forms.ChoiceField(
        label="Show",
        choices=[("", "Everything"), ("key", "Key events only")],
        widget=forms.RadioSelect,
        required=False,
        help_text="Key events: opening, risk level changes, sharing, transfers and closure.",
    )
    kind = forms.MultipleChoiceField(
        label="Kinds of entry",
        choices=list(CHRONOLOGY_KINDS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick none to see every kind.",
    )
    since = forms.DateField(label="From", widget=DateInput, required=False)
    until = forms.DateField(label="To", widget=DateInput, required=False)
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["since"].error_messages["invalid"] = (
            "Enter the \u2018From\u2019 date as a real date, for example 2026-03-01."
        )
        self.fields["until"].error_messages["invalid"] = (
            "Enter the \u2018To\u2019 date as a real date, for example 2026-03-31."
        )
        self.fields["view"].widget.attrs["class"] = ""

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error(
                "until",
                "The \u2018To\u2019 date is before the \u2018From\u2019 date: change one of them.",
            )
        if "page" in self.errors:
            del self.errors["page"]
            self.add_error(None, "That page of the chronology does not exist.")
        return cleaned

    def filters(self) -> ChronologyFilters:
        """The filters asked for; only for a valid form."""
        data = self.cleaned_data
        return ChronologyFilters(
            kinds=tuple(data["kind"]),
            since=data["since"],
            until=data["until"],
            key_only=data["view"] == "key",
        )

    def page_number(self) -> int:
        return self.cleaned_data.get("page") or 1
