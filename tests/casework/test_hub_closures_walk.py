"""Found trying the hub caseload as a new manager (issue 13 walk): 'Closures waiting for you'
named the case by the young person's reference (YP-000043) while My tasks and notifications
name it C-000043, and 'asked by ... for 1 Dec' read oddly. It now names the case as the work
list does (C-000043 · Demo Genevieve), says 'to close on', and links to the closure panel."""

from datetime import date

from django.urls import reverse

from casework.models import Case


def test_a_closure_waiting_names_the_case_as_the_work_list_does(world, client_for):
    Case.objects.filter(pk=world.case.pk).update(
        closure_requested_on=date(2026, 1, 20),
        closure_requested_by=world.user("allocated_worker"),
    )
    response = client_for("hub_manager").get(reverse("casework:hub_cases"))
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('id="closures-title"')
    section = page[start : page.index("</section>", start)]
    case_url = reverse("casework:case", args=[world.case.pk])
    person = world.case.young_person
    assert f'href="{case_url}#closure-title">{world.case.reference}</a>' in section
    assert f"· {person.display_name}: asked by Alex Allocated to close on 20 Jan 2026" in section
    assert person.reference not in section


def test_no_closure_waiting_means_no_list(world, client_for):
    response = client_for("hub_manager").get(reverse("casework:hub_cases"))
    assert "Closures waiting for you" not in response.content.decode()
