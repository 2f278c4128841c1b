"""No form offers Django's "---------" as a choice (issue 13 item 5): a list's blank first
option says what to do ("Choose a worker"), a radio group has no blank button."""

from __future__ import annotations

import copy
import importlib
from typing import Any

import pytest
from django import forms
from django.urls import reverse

from alexi.forms import CHOOSE, DASHES, GovukFormMixin, plain_blank_choice
from tests.test_access_matrix import MATRIX

PROJECT = {"alexi", "casework", "referrals", "training", "reporting", "imports"}
FORM_MODULES = ["alexi.structure_forms", "alexi.views.forms"]


def project_form_classes() -> list[type[forms.BaseForm]]:
    for module in [f"{app}.forms" for app in sorted(PROJECT)] + FORM_MODULES:
        importlib.import_module(module)
    found, todo = [], [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in PROJECT:
                found.append(sub)
    return found


def dash_labels(field: forms.Field) -> list[str]:
    if isinstance(field, forms.ModelChoiceField):
        return [field.empty_label] if field.empty_label == DASHES else []
    if isinstance(field, forms.ChoiceField):
        choices: Any = field.choices  # a list of pairs once the field is made
        return [label for _, label in choices if label == DASHES]
    return []


def test_every_form_field_loses_its_dashes():
    classes = project_form_classes()
    assert len(classes) > 30, "the project's forms should have been found"
    problems = []
    for cls in classes:
        for name, base in getattr(cls, "base_fields", {}).items():
            field = copy.deepcopy(base)
            if issubclass(cls, GovukFormMixin):
                plain_blank_choice(field)
            if dash_labels(field):
                problems.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert problems == []


def test_a_list_says_what_to_choose_and_a_radio_group_has_no_blank_button():
    select = forms.ChoiceField(choices=[("", DASHES), ("a", "A")], required=False)
    plain_blank_choice(select)
    assert list(select.choices) == [("", CHOOSE), ("a", "A")]

    radios = forms.ChoiceField(
        choices=[("", DASHES), ("a", "A")], required=False, widget=forms.RadioSelect
    )
    plain_blank_choice(radios)
    assert list(radios.choices) == [("a", "A")]

    from alexi.models import Hub

    named = forms.ModelChoiceField(queryset=Hub.objects.none(), empty_label="Choose a hub")
    plain_blank_choice(named)
    assert named.empty_label == "Choose a hub"
    unnamed = forms.ModelChoiceField(queryset=Hub.objects.none())
    plain_blank_choice(unnamed)
    assert unnamed.empty_label == CHOOSE


def test_the_allocation_list_names_its_blank_option(world, client_for):
    page = client_for("hub_manager").get(reverse("casework:allocate", args=[world.case.pk]))
    assert page.status_code == 200
    assert '<option value="" selected>Choose a worker</option>' in page.content.decode()


def _opened_by(entry) -> str | None:
    return next((p for p, status in entry.expected.items() if status == 200), None)


PAGES = sorted(
    name
    for name, entry in MATRIX.items()
    if name != "admin:*" and entry.method == "get" and _opened_by(entry)
)


@pytest.mark.parametrize("name", PAGES)
def test_no_page_shows_dashes(name, world, client_for):
    """Every page in the access matrix, opened by the first persona who may open it."""
    entry = MATRIX[name]
    persona = _opened_by(entry)
    response = client_for(persona).get(reverse(name, kwargs=entry.kwargs(world)))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert DASHES.encode() not in body, f"{name} ({persona})"


def test_the_pages_with_lists_were_opened():
    assert {"casework:allocate", "casework:share_new", "referrals:referral_new"} <= set(PAGES)
