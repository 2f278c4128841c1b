"""No form answers an empty box with Django's "This field is required." (found trying Alexi as
a new user, issue 13): a field with no message of its own names itself and says what to do,
"Choose ‘Lawful basis’." for a list or radios, "Enter ‘Why’." for a typed answer,
"Answer ‘Did you meet?’" for a question."""

from __future__ import annotations

import copy

from django import forms
from django.urls import reverse

from alexi.forms import DJANGO_REQUIRED, GovukFormMixin, plain_required_message
from casework.models import InformationShare
from tests.alexi.test_no_dash_choices import project_form_classes


def test_no_project_form_field_says_this_field_is_required():
    classes = project_form_classes()
    assert len(classes) > 30, "the project's forms should have been found"
    problems = []
    for cls in classes:
        for name, base in getattr(cls, "base_fields", {}).items():
            field = copy.deepcopy(base)
            if issubclass(cls, GovukFormMixin):
                plain_required_message(name, field)
            if field.required and str(field.error_messages.get("required")) == DJANGO_REQUIRED:
                problems.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert problems == []


def test_each_kind_of_field_gets_its_own_words_and_a_field_message_is_kept():
    cases = [
        (forms.ChoiceField(label="Lawful basis", choices=[("a", "A")]), "Choose ‘Lawful basis’."),
        (forms.DateField(label="Date shared"), "Enter ‘Date shared’."),
        (forms.CharField(label="Why"), "Enter ‘Why’."),
        (forms.ChoiceField(label="Did you meet?", choices=[("a", "A")]), "Answer ‘Did you meet?’"),
        (forms.BooleanField(label="I understand"), "Tick ‘I understand’."),
        (forms.CharField(), "Enter ‘Reason’."),  # no label: the field's name, as Django shows it
    ]
    for field, expected in cases:
        plain_required_message("reason", field)
        assert field.error_messages["required"] == expected
    own = forms.CharField(error_messages={"required": "Say why."})
    plain_required_message("why", own)
    assert own.error_messages["required"] == "Say why."
    optional = forms.CharField(required=False)
    plain_required_message("note", optional)
    assert str(optional.error_messages["required"]) == DJANGO_REQUIRED


def test_an_empty_information_share_names_each_missing_answer(world, client_for):
    before = InformationShare.objects.count()
    client = client_for("allocated_worker")
    url = reverse("casework:information_share_new", args=[world.case.pk])
    token = client.get(url).wsgi_request.submission_token
    response = client.post(url, {"submission_token": token})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required" not in page
    assert "Choose ‘Lawful basis’." in page
    assert "Enter ‘Shared with (agency)’." in page
    assert InformationShare.objects.count() == before
