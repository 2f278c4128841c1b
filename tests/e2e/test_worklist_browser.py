"""The work list (issue 13 item 2) in a browser, at 360 and 1280 px: a worker adds a reminder
on a case, sees it in My tasks and in the header's count, marks it done on the tasks page and
it is gone; the session form notes a next meeting. axe-core finds nothing on these pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from demo.data import load_demo
from tests.e2e.conftest import axe_violations, fits_width, screenshot
from tests.e2e.test_casework_browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def header_count(page) -> int:
    """The count the header's Tasks link shows (0 when it shows none), once it is known (a
    page whose count was not in the cache asks for it after loading)."""
    page.locator(".alexi-header__tool--tasks:not([hx-get])").wait_for()
    count = page.locator(".alexi-header__tool--tasks .alexi-header__count")
    if not count.count():
        return 0
    return int(count.inner_text().replace(",", "").replace("due", "").strip())


def check(page, name):
    assert axe_violations(page) == [], name
    assert fits_width(page), name
    screenshot(page, name)


@pytest.mark.parametrize(("width", "height"), [(360, 800), (1280, 900)])
def test_a_reminder_shows_in_my_tasks_and_the_header_then_goes_when_done(
    live_server, browser, width, height
):
    load_demo()
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url, "worker.leeds1")
    assert page.locator("h1").inner_text() == "My caseload"
    assert page.get_by_role("heading", name="My tasks", exact=True).is_visible()
    before = header_count(page)
    tasks_link = page.locator(".alexi-header__tool--tasks")
    assert tasks_link.get_attribute("href") == "/tasks/"
    check(page, f"60-my-tasks-{width}")

    page.locator("main h2 a.govuk-link").first.click()
    case_url = page.url
    page.get_by_role("link", name="Add a reminder").click()
    check(page, f"61-reminder-form-{width}")
    page.get_by_role("button", name="Save reminder").click()  # nothing filled in
    assert page.get_by_text("Enter the date of the reminder.").first.is_visible()
    page.get_by_label("Date", exact=True).fill(timezone.localdate().isoformat())
    page.get_by_label("What to remember", exact=True).fill("Call the youth club about Friday")
    page.get_by_role("button", name="Save reminder").click()
    assert page.url == case_url
    assert "Reminder saved." in page.locator(".govuk-notification-banner").inner_text()
    assert "Call the youth club about Friday" in page.locator(".alexi-reminders").inner_text()
    assert header_count(page) == before + 1
    check(page, f"62-case-with-reminder-{width}")

    page.goto(live_server.url + "/")
    panel = page.locator(".alexi-my-tasks:not([hx-get])")  # once it has loaded
    assert "Call the youth club about Friday" in panel.inner_text()
    page.locator(".alexi-header__tool--tasks").click()
    assert page.locator("h1").inner_text() == "My tasks"
    check(page, f"63-tasks-{width}")
    item = page.locator(".alexi-tasks__item", has_text="Call the youth club about Friday")
    item.get_by_role("button", name="Done").click()
    assert page.locator("h1").inner_text() == "My tasks"
    assert "Reminder done." in page.locator(".govuk-notification-banner").inner_text()
    assert page.get_by_text("Call the youth club about Friday").count() == 0
    assert header_count(page) == before
    check(page, f"64-tasks-after-done-{width}")
    context.close()


def test_the_session_form_notes_the_next_meeting(live_server, browser):
    load_demo()
    context = browser.new_context(viewport={"width": 360, "height": 800}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url, "worker.leeds1")
    page.locator("main h2 a.govuk-link").first.click()
    page.get_by_role("link", name="Log a session").click()
    page.get_by_label("Day", exact=True).fill(
        (timezone.localdate() + timedelta(days=2)).isoformat()
    )
    page.get_by_role("button", name="Save session").click()  # time and place missing
    assert page.get_by_text("Enter the time of the next meeting").first.is_visible()
    check(page, "65-next-meeting-errors-360")
    page.get_by_label("Time", exact=True).fill("15:30")
    page.get_by_label("Place", exact=True).fill("The library cafe")
    page.get_by_role("button", name="Save session").click()
    assert "Session saved." in page.locator(".govuk-notification-banner").inner_text()
    assert "15:30, The library cafe" in page.locator(".alexi-next-meeting").inner_text()
    check(page, "66-case-next-meeting-360")
    page.goto(live_server.url + "/tasks/")
    assert page.get_by_text("Next meeting, 15:30").first.is_visible()
    context.close()
