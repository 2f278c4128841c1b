"""The Returns page refuses a quarter that has not ended on the field, at 360 px, and passes
axe-core; the hub overview's risk charts have visible headings (issue 11, items 1 and 10)."""

import pytest
from django.utils import timezone

from demo.data import DEMO_PASSWORD, demo_email, load_demo
from reporting.models import QuarterlyReturn, ReturnRequest
from reporting.returns import quarter_label
from reporting.scope import Period
from tests.e2e.conftest import axe_violations, fits_width, screenshot
from tests.e2e.test_sign_in_browser import demo_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, live_server, local: str) -> None:
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Email address").fill(demo_email(local))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code").fill(demo_code())
    page.get_by_role("button", name="Sign in").click()


def test_a_quarter_in_progress_is_refused_on_the_field(live_server, phone):
    load_demo()
    made_before = QuarterlyReturn.objects.count()
    page = phone
    sign_in(page, live_server, "admin")
    page.goto(live_server.url + "/returns/")
    in_progress = quarter_label(Period.quarter_of(timezone.localdate()))
    page.get_by_label("Quarter").fill(in_progress)
    page.get_by_role("button", name="Make the returns").click()
    summary = page.get_by_role("alert")
    assert summary.get_by_text("There is a problem").is_visible()
    assert "is still in progress" in summary.inner_text()
    assert "is still in progress" in page.locator("#g-quarter-error").inner_text()
    assert page.get_by_label("Quarter").input_value() == in_progress
    assert axe_violations(page) == []
    assert fits_width(page)
    screenshot(page, "40-returns-quarter-not-ended")
    assert not ReturnRequest.objects.filter(quarter=in_progress).exists()
    assert QuarterlyReturn.objects.count() == made_before


def test_the_hub_overview_risk_charts_have_visible_headings(live_server, phone):
    load_demo()
    page = phone
    sign_in(page, live_server, "manager.north")
    assert page.locator("h1").inner_text() == "Hub overview"
    for name in ("Risk level at the start", "Risk level at closure"):
        heading = page.get_by_role("heading", name=name, exact=True).first
        assert heading.is_visible()
    assert axe_violations(page) == []
    screenshot(page, "41-hub-overview-risk-headings")
