"""The Returns page says which version of a return is current and, for administrators, which
returns hide small numbers (a funder's) and which do not (a hub's own): a new user shown two
versions of one return, or a hub's return beside a funder's, knows which to send
(review of issue 11, item 1)."""

from __future__ import annotations

import re

from django.urls import reverse

from reporting.models import ReturnKind
from reporting.returns import Subject, generate


def rows(page: str) -> list[str]:
    body = page.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in body.split("</tr>")[:-1]
    ]


def test_versions_are_together_and_the_replaced_ones_say_so(
    world, client_for, django_assert_max_num_queries
):
    funder = Subject(ReturnKind.FUNDER, funder=world.funder_org)
    generate(funder, "2026Q1")
    generate(Subject(ReturnKind.HUB, hub=world.hub), "2026Q1")
    generate(funder, "2026Q1", regenerate=True)
    client = client_for("programme_admin")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reporting:returns")).content.decode()
    found = rows(page)
    assert len(found) == 3
    assert found[0].startswith("2026Q1 version 2 (latest) Test Trust Funder's return: small")
    assert found[1].startswith("2026Q1 version 1, replaced by version 2 Test Trust")
    assert found[2].startswith("2026Q1 Home Hub Hub's own return: every number shown")


def test_a_funder_sees_which_of_its_returns_is_current(world, client_for):
    funder = Subject(ReturnKind.FUNDER, funder=world.funder_org)
    generate(funder, "2026Q1")
    generate(funder, "2026Q1", regenerate=True)
    found = rows(client_for("funder").get(reverse("reporting:returns")).content.decode())
    assert [r.split(" Test Trust")[0] for r in found] == [
        "2026Q1 version 2 (latest)",
        "2026Q1 version 1, replaced by version 2",
    ]
    assert "Funder's return" not in " ".join(found)  # they only ever see their own kind
