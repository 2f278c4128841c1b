"""In Chromium on a phone: a form sent again (Back then Save, a double click) saves once and
says so; Back after a form error never asks to resubmit; long text shows a count near the limit
and is refused, not cut, over it."""

import pytest

from casework.models import CaseSession
from demo.data import load_demo
from tests.e2e.conftest import axe_violations, fits_width
from tests.e2e.test_casework_browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def worker_page(live_server, browser):
    load_demo()
    context = browser.new_context(viewport={"width": 360, "height": 780}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url, "worker.leeds1")
    page.get_by_role("link", name="Amber").click()
    yield page
    context.close()


def open_session_form(page, notes="Met at the library."):
    page.get_by_role("link", name="Log a session").click()
    page.get_by_label("Date", exact=True).fill("2026-11-20")
    page.get_by_text("Themes, notes and their own words").click()
    page.get_by_label("Notes").fill(notes)


def test_back_then_save_again_says_already_saved_and_saves_once(worker_page):
    page = worker_page
    before = CaseSession.objects.count()
    open_session_form(page)
    page.get_by_role("button", name="Save session").click()
    assert "Session saved." in page.get_by_role("status").inner_text()
    case_url = page.url

    page.go_back()
    assert page.locator("h1").inner_text() == "Log a session"
    assert page.get_by_label("Notes").input_value() == "Met at the library."  # refilled
    page.get_by_role("button", name="Save session").click()

    assert page.locator("h1").inner_text() == "Already saved"
    assert "has not been saved again" in page.locator("main").inner_text()
    assert axe_violations(page) == [] and fits_width(page)
    assert CaseSession.objects.count() == before + 1
    page.get_by_role("link", name="See what was saved").click()
    assert page.url == case_url


def test_a_double_click_on_save_saves_once(worker_page):
    page = worker_page
    before = CaseSession.objects.count()
    open_session_form(page)
    page.get_by_role("button", name="Save session").dblclick()
    page.wait_for_load_state()
    page.wait_for_timeout(500)
    assert CaseSession.objects.count() == before + 1


def test_back_after_a_form_error_shows_the_form_not_a_resubmission_warning(worker_page):
    page = worker_page
    open_session_form(page)
    page.get_by_label("Date", exact=True).fill("2999-01-01")
    page.get_by_role("button", name="Save session").click()
    assert "cannot be in the future" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Date", exact=True).fill("2026-11-20")
    page.get_by_role("button", name="Save session").click()
    assert "Session saved." in page.get_by_role("status").inner_text()

    page.go_back()  # Chromium raises net::ERR_CACHE_MISS here if it would ask to resubmit
    assert page.locator("h1").inner_text() == "Log a session"


def test_long_notes_show_a_count_near_the_limit_and_too_long_is_refused(worker_page):
    from playwright.sync_api import expect

    page = worker_page
    before = CaseSession.objects.count()
    open_session_form(page, notes="short")
    status = page.locator("#id_notes-info ~ .govuk-character-count__status")
    assert not status.is_visible()  # far from the limit: no count shown or announced

    page.get_by_label("Notes").fill("x" * 9_500)
    # The count follows typing (and, while the field has focus, a paste) within a second.
    expect(status).to_have_text("You have 500 characters remaining")
    spoken = page.locator("#id_notes-info ~ .govuk-character-count__sr-status")
    assert spoken.get_attribute("aria-live") == "polite"
    assert axe_violations(page) == [] and fits_width(page)

    page.get_by_label("Notes").fill("x" * 10_001)  # nothing cuts it to fit
    assert page.get_by_label("Notes").input_value() == "x" * 10_001
    expect(status).to_have_text("You have 1 character too many")
    page.get_by_role("button", name="Save session").click()
    assert (
        "Notes must be 10,000 characters or fewer; this has 10,001."
        in page.locator("#id_notes-error").inner_text()
    )
    assert CaseSession.objects.count() == before
