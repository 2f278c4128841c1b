"""On a phone: a spoke worker logs a session and a risk review, asks to close a case, and
the hub manager approves the closure."""

import pytest
from django_otp.oath import TOTP

from demo.data import DEMO_PASSWORD, DEMO_TOTP_KEY_HEX, demo_email, load_demo
from tests.e2e.conftest import axe_violations, fits_width, open_menu, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, base, local):
    page.goto(base + "/sign-in/")
    page.get_by_label("Email address").fill(demo_email(local))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code").fill(f"{TOTP(bytes.fromhex(DEMO_TOTP_KEY_HEX)).token():06d}")
    page.get_by_role("button", name="Sign in").click()


def check_page(page, name):
    assert axe_violations(page) == [], name
    assert fits_width(page), name
    screenshot(page, name)


def test_worker_logs_session_and_review_then_manager_approves_closure(live_server, browser):
    load_demo()
    worker_context = browser.new_context(viewport={"width": 360, "height": 780}, bypass_csp=True)
    page = worker_context.new_page()
    sign_in(page, live_server.url, "worker.leeds1")
    assert page.locator("h1").inner_text() == "My caseload"
    check_page(page, "30-caseload")

    page.get_by_role("link", name="Amber").click()
    assert page.locator("h1").inner_text() == "Amber"
    check_page(page, "31-case")

    page.get_by_role("link", name="Log a session").click()
    page.get_by_label("Date", exact=True).fill("2026-11-20")
    page.get_by_label("Chose not to meet").check()
    page.get_by_label("Text message").check()
    page.get_by_label("Yes").check()
    page.get_by_text("Themes, notes and their own words").click()
    page.get_by_label("Online safety").check()
    page.get_by_label("In the young person's own words").fill("Not today, maybe next week.")
    check_page(page, "32-log-session")
    page.get_by_role("button", name="Save session").click()
    assert "Session saved." in page.get_by_role("status").inner_text()
    assert page.get_by_text("Chose not to meet").first.is_visible()

    page.get_by_role("link", name="Risk assessment").click()
    page.get_by_role("radio", name="Review").check()
    page.get_by_label("Staying out late or overnight without explanation").check()
    page.get_by_label("Picked up or dropped off by unknown adults").check()
    page.wait_for_timeout(500)
    assert "Medium" in page.locator("#risk-preview").inner_text()  # 2 + 4 = 6
    page.get_by_label("The young person's own view").fill("I know who to call now.")
    check_page(page, "33-risk-review")
    page.get_by_role("button", name="Save assessment").click()
    assert "Risk assessment saved." in page.get_by_role("status").inner_text()

    page.get_by_role("link", name="Risk assessment").click()
    page.get_by_role("radio", name="Closing").check()
    page.get_by_role("button", name="Save assessment").click()  # nothing ticked: refused
    assert page.get_by_role("link", name="Tick the indicators you saw").is_visible()
    check_page(page, "33b-risk-nothing-ticked")
    page.get_by_label("No indicators present").check()
    page.get_by_label("Why you chose this level").fill("No missing episodes since May.")
    page.get_by_label("The young person's own view").fill("I feel safe now.")
    page.get_by_role("button", name="Save assessment").click()
    assert "Risk assessment saved." in page.get_by_role("status").inner_text()
    page.get_by_role("link", name="Close this case").click()
    page.get_by_label("Goals met or risk reduced").check()
    check_page(page, "34-close")
    page.get_by_role("button", name="Send for approval").click()
    assert "Closure sent to your hub manager" in page.get_by_role("status").inner_text()
    worker_context.close()

    manager_context = browser.new_context(viewport={"width": 360, "height": 780}, bypass_csp=True)
    page = manager_context.new_page()
    sign_in(page, live_server.url, "manager.north")
    open_menu(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Hub caseload").click()
    check_page(page, "35-hub-caseload")
    page.locator("#closures-title + ul a").first.click()
    assert page.get_by_text("Closure waiting for your approval").is_visible()
    check_page(page, "36-approve")
    page.get_by_role("button", name="Return to the worker").click()  # no note: refused
    summary_link = page.get_by_role("link", name="Say what needs doing before the case can close.")
    assert summary_link.is_visible()
    summary_link.click()
    assert page.evaluate("document.activeElement.id") == "id_note"
    check_page(page, "36b-return-needs-a-note")
    page.get_by_role("button", name="Approve the closure").click()
    assert "is closed" in page.get_by_role("status").inner_text()
    assert page.get_by_text("Closed", exact=False).first.is_visible()
    screenshot(page, "37-closed")
    manager_context.close()
