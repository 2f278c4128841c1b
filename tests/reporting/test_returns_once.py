"""The Returns page's form makes records (with "Make new versions", a new immutable version of
every return, which funders see). Sent twice -- Back then the button again, or a double click --
it makes them once (review of issue 11, items 1 and 5)."""

from __future__ import annotations

import re

from django.urls import reverse

from alexi.submissions.once import FIELD
from reporting.models import QuarterlyReturn, ReturnKind, ReturnRequest
from reporting.returns import Subject, generate


def token_on_page(client) -> str:
    page = client.get(reverse("reporting:returns")).content.decode()
    match = re.search(rf'name="{FIELD}" value="([^"]+)"', page)
    assert match, "the form carries its one-time token"
    return match[1]


def test_sending_the_form_again_makes_no_second_version(
    world, client_for, django_capture_on_commit_callbacks
):
    generate(Subject(ReturnKind.FUNDER, funder=world.funder_org), "2026Q1")
    client = client_for("programme_admin")
    token = token_on_page(client)
    form = {"quarter": "2026Q1", "regenerate": "1", FIELD: token}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("reporting:returns_generate"), form)
    assert first.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            reverse("reporting:returns_generate"), form
        )  # Back, then the button again
    assert again.status_code == 200 and "Already saved" in again.content.decode()
    assert ReturnRequest.objects.count() == 1
    versions = QuarterlyReturn.objects.filter(funder=world.funder_org, quarter="2026Q1")
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]


def test_a_form_without_its_token_asks_for_nothing_and_says_why(world, client_for):
    response = client_for("programme_admin").post(
        reverse("reporting:returns_generate"), {"quarter": "2026Q1", "regenerate": "1", FIELD: ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "nothing was saved" in page
    assert 'value="2026Q1"' in page  # the entries kept, with a new token to send again
    assert re.search(rf'name="{FIELD}" value="[^"]+"', page)
    assert not ReturnRequest.objects.exists() and not QuarterlyReturn.objects.exists()


def test_a_refused_quarter_keeps_the_token_so_the_corrected_form_works(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("programme_admin")
    token = token_on_page(client)
    refused = client.post(
        reverse("reporting:returns_generate"), {"quarter": "2099Q1", FIELD: token}
    )
    assert refused.status_code == 400 and f'value="{token}"' in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(
            reverse("reporting:returns_generate"), {"quarter": "2026Q1", FIELD: token}
        )
    assert made.status_code == 302
    assert QuarterlyReturn.objects.filter(quarter="2026Q1").count() == 3
