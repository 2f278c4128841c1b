"""The chronology in a browser: filter it, open the key events, Show earlier (htmx) and add a
case note, at 1280 px and on a 360 px phone, with axe-core finding nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from demo.data import demo_email, load_demo
from tests.e2e.conftest import axe_violations, fits_width, screenshot
from tests.e2e.test_casework_browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOTES = 100
EVERY_IMPACT = ("minor", "moderate", "serious", "critical")


# The header's notifications bell (issue 13 item 3, another part) names its link "Notifications,
# 2 unread" where the desktop header shows "Notifications 2": axe's label-content-name-mismatch,
# reported to that part. Only that finding on that element is set aside here.
BELL = ("label-content-name-mismatch", [[".alexi-header__tool--bell"]])


def check(page, name):
    found = [v for v in axe_violations(page, EVERY_IMPACT) if (v["id"], v["nodes"]) != BELL]
    assert found == [], name
    assert fits_width(page), name
    screenshot(page, name)


def entries(page) -> int:
    return page.locator("#chronology-entries > li.alexi-timeline__entry").count()


def a_long_case():
    """Amber's case (worker.leeds1) with NOTES case notes more: over 100 entries."""
    from alexi.models import User
    from casework import services
    from casework.models import Case

    worker = User.objects.get(email=demo_email("worker.leeds1"))
    case = Case.objects.filter(allocated_worker=worker, young_person__preferred_name="Amber")[0]
    today = timezone.localdate()
    for n in range(NOTES):
        services.case_note_record(
            actor=worker,
            case=case,
            data={
                "date": max(case.opened_on, today - timedelta(days=n + 1)),
                "kind": "phone_call",
                "with_whom": "School",
                "text": f"Fictional call {n + 1} about attendance.",
            },
        )
    return case


@pytest.mark.parametrize("width", [1280, 360])
def test_filter_key_events_show_earlier_and_a_case_note(live_server, browser, width):
    load_demo()
    case = a_long_case()
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url, "worker.leeds1")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert entries(page) == 50
    count = page.locator("#chronology-count")
    total = int(count.inner_text().split(" ")[0])
    assert total > 100 and "Showing 1 to 50." in count.inner_text()

    # Show earlier, by htmx: 50 more on the same page, focus on the first of them.
    page.get_by_role("link", name="Show earlier entries").click()
    page.wait_for_function(
        "document.querySelectorAll('#chronology-entries > li.alexi-timeline__entry').length === 100"
    )
    assert "Showing 1 to 100." in count.inner_text()
    # htmx settles the new entries just after the swap; then focus moves to the first of them.
    page.wait_for_function(
        "document.activeElement === document.querySelectorAll('#chronology-entries > li')[50]"
    )
    assert page.url.endswith(f"/cases/{case.pk}/")  # htmx, not a new page
    check(page, f"chronology-earlier-{width}")

    # Filter: case notes in a date range; the address keeps it, Back brings everything back.
    page.get_by_text("Filter the chronology").click()
    page.get_by_label("Case notes", exact=True).check()
    first_day = max(case.opened_on, timezone.localdate() - timedelta(days=NOTES)).isoformat()
    page.get_by_label("From", exact=True).fill(first_day)
    check(page, f"chronology-filter-form-{width}")
    page.get_by_role("button", name="Show entries").click()
    assert "kind=note" in page.url and f"since={first_day}" in page.url
    assert int(count.inner_text().split(" ")[0]) >= NOTES  # and the demo's own notes
    assert "entries match" in count.inner_text()
    kinds = page.locator("#chronology-entries > li.alexi-timeline__entry").evaluate_all(
        "els => els.map(e => e.className)"
    )
    assert kinds and all("alexi-timeline__entry--note" in k for k in kinds)
    check(page, f"chronology-notes-{width}")
    page.go_back()
    assert entries(page) == 50 and "kind=note" not in page.url

    # A reversed range: a plain message, nothing broken.
    page.goto(f"{live_server.url}/cases/{case.pk}/?since=2026-03-01&until=2026-02-01")
    assert page.get_by_role("link", name="The \u2018To\u2019 date is before").is_visible()
    check(page, f"chronology-bad-range-{width}")

    # Key events only.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="Key events only").click()
    assert "view=key" in page.url
    titles = page.locator("#chronology-entries h3").all_inner_texts()
    assert any("Case opened" in t for t in titles)
    assert not any("Session" in t or "Case note" in t for t in titles)
    check(page, f"chronology-key-events-{width}")

    # A case note.
    page.get_by_role("link", name="Add a case note").click()
    page.get_by_label("Date", exact=True).fill(timezone.localdate().isoformat())
    page.get_by_label("Meeting", exact=True).check()
    page.get_by_label("With whom (optional)").fill("Strategy meeting")
    page.get_by_label("Note", exact=True).fill(
        "Agreed a safety plan with school and police (fictional)."
    )
    check(page, f"chronology-note-form-{width}")
    page.get_by_role("button", name="Save case note").click()
    assert "Case note saved." in page.get_by_role("status").first.inner_text()
    newest = page.locator("#chronology-entries > li.alexi-timeline__entry").first
    assert "Case note: meeting" in newest.inner_text()
    assert "Agreed a safety plan" in newest.inner_text()
    check(page, f"chronology-note-saved-{width}")
    context.close()
