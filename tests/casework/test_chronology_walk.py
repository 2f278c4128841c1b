"""Found trying the chronology filter as a new user (issue 13 walk): the filter form goes to
the page's #chronology, so its problem ('The ‘To’ date is before the ‘From’ date') was shown in
an error summary at the top of the page, out of view, above a long case page. It is now shown
under the Chronology heading, where the page lands, and only there."""

from django.urls import reverse


def test_a_filter_problem_is_shown_where_the_filter_form_lands(world, client_for):
    url = reverse("casework:case", args=[world.case.pk])
    response = client_for("allocated_worker").get(f"{url}?since=2026-03-01&until=2026-02-01")
    assert response.status_code == 400
    page = response.content.decode()
    assert f'action="{url}#chronology"' in page
    heading = page.index('id="chronology"')
    summary = page.index('class="govuk-error-summary"')
    assert page.count('class="govuk-error-summary"') == 1
    assert heading < summary < page.index("Filter the chronology")
    assert page.index("before the ‘From’ date") > heading
    assert '<a href="#id_until">' in page  # the summary links to the box to change


def test_an_unfiltered_case_page_has_no_error_summary(world, client_for):
    response = client_for("allocated_worker").get(reverse("casework:case", args=[world.case.pk]))
    assert response.status_code == 200
    assert "govuk-error-summary" not in response.content.decode()
