"""Search in the browser (issue 13 item 1): a worker presses "/", types a name spelt wrong,
finds the young person and opens their case; the page passes axe-core at 1280 and 360 px."""

import pytest

from demo.data import load_demo
from tests.e2e.conftest import axe_violations, fits_width, screenshot
from tests.e2e.test_casework_browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FOCUSED = "() => document.activeElement && document.activeElement.id"


def _check(page, name):
    assert axe_violations(page) == [], name
    assert fits_width(page), name
    screenshot(page, name)


def test_a_worker_finds_a_young_person_by_a_misspelt_name_with_the_slash_key(live_server, browser):
    load_demo()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url, "worker.leeds1")
    # search.js is a module: it runs once the home page has loaded (its heading shows before).
    page.wait_for_url(live_server.url + "/", wait_until="load")
    assert page.locator("h1").inner_text() == "My caseload"

    page.keyboard.press("/")
    assert page.evaluate(FOCUSED) == "alexi-search-q"
    page.keyboard.type("Ambre")  # Amber, letters swapped
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=Ambre")
    assert page.locator("h1").inner_text() == "Search"
    assert page.locator("#id_q").input_value() == "Ambre"
    results = page.locator(".alexi-case-card")
    assert results.count() >= 1
    assert "Amber" in results.first.inner_text()
    _check(page, "80-search-results-1280")

    # "/" on the search page goes to its own box; typed in a field, "/" is just a character.
    page.locator("#id_q").fill("")
    page.locator("body").click(position={"x": 5, "y": 400})
    page.keyboard.press("/")
    assert page.evaluate(FOCUSED) == "id_q"
    page.keyboard.type("1/2")
    assert page.locator("#id_q").input_value() == "1/2"

    page.goto(live_server.url + "/search/?q=Ambre")
    results.first.get_by_role("link").click()
    assert page.locator("h1").inner_text() == "Amber"

    page.goto(live_server.url + "/search/?q=31/2/2011")
    assert "31/2/2011 is not a real date" in page.locator(".govuk-error-summary").inner_text()
    _check(page, "81-search-error-1280")
    page.goto(live_server.url + "/search/?q=Zzyzxnobody")
    assert "No cases found" in page.locator("h2#results-title").inner_text()
    _check(page, "82-search-nothing-1280")
    context.close()


def test_search_on_a_phone(live_server, browser):
    load_demo()
    context = browser.new_context(viewport={"width": 360, "height": 780}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url, "manager.north")
    # search.js is a module: it runs once the home page has loaded.
    page.wait_for_url(live_server.url + "/", wait_until="load")
    # The header's box is in the menu on a phone: "/" (a phone with a keyboard) opens it.
    page.keyboard.press("/")
    assert page.evaluate(FOCUSED) == "alexi-search-q"
    page.keyboard.type("Amber")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=Amber")
    assert "Amber" in page.locator(".alexi-case-card").first.inner_text()
    _check(page, "83-search-results-360")
    page.goto(live_server.url + "/search/")
    _check(page, "84-search-empty-360")
    context.close()
