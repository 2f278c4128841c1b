"""Notifications in the browser (issue 13 item 3): a manager allocates a case to a worker; the
worker sees the bell's count, opens Notifications and follows the notification to the case.
axe-core finds nothing at 360 and 1280 px."""

import pytest
from django.utils import timezone

from alexi.models import User
from alexi.notifications.models import Notification
from alexi.notifications.selectors import forget_counts
from casework.models import Case, CaseStatus
from demo.data import demo_email, load_demo
from tests.e2e.conftest import axe_violations, fits_width, screenshot
from tests.e2e.test_casework_browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 360, "height": 800}
WIDE = {"width": 1280, "height": 900}


def _check(page, name, width):
    assert axe_violations(page) == [], name
    assert fits_width(page), name
    screenshot(page, f"{name}-{width}")


def test_a_worker_hears_of_a_case_allocated_to_them_and_opens_it(live_server, browser):
    load_demo()
    worker = User.objects.get(email=demo_email("worker.leeds2"))
    Notification.objects.filter(recipient=worker).update(read_at=timezone.now())
    case = (
        Case.objects.filter(allocated_worker__email=demo_email("worker.leeds1"))
        .exclude(status=CaseStatus.CLOSED)
        .order_by("pk")
        .first()
    )

    manager_context = browser.new_context(viewport=WIDE, bypass_csp=True)
    manager = manager_context.new_page()
    sign_in(manager, live_server.url, "manager.north")
    manager.goto(f"{live_server.url}/cases/{case.pk}/allocate/")
    manager.get_by_label("Worker").select_option(label="Demo Worker Jordan")
    manager.get_by_role("button", name="Allocate").click()
    assert "Case allocated to Demo Worker Jordan." in manager.content()
    # The manager acted: nothing for them about it.
    assert not Notification.objects.filter(
        recipient__email=demo_email("manager.north"), target_id=case.pk
    ).exists()
    manager_context.close()
    allocated = Notification.objects.get(recipient=worker, kind="case_allocated", read_at=None)
    assert allocated.target_id == case.pk

    # One sign-in (a code works once), first on a phone, then on a wide screen.
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url, "worker.leeds2")
    page.wait_for_selector("h1:has-text('My caseload')")
    for viewport in (PHONE, WIDE):
        width = viewport["width"]
        page.set_viewport_size(viewport)
        # Only this one unread (the demo's own notifications read), on each screen size.
        mine = Notification.objects.filter(recipient=worker)
        mine.exclude(pk=allocated.pk).update(read_at=timezone.now())
        mine.filter(pk=allocated.pk).update(read_at=None)
        forget_counts([worker.pk])  # written here directly, not by the services that drop it
        page.goto(f"{live_server.url}/")
        bell = page.get_by_role("link", name="Notifications 1 unread")
        bell.wait_for()  # the count, not in the cache, is asked for once the page has loaded
        _check(page, "70-notifications-bell", width)

        bell.click()
        assert page.locator("h1").inner_text() == "Notifications"
        item = page.locator(".alexi-notification").first
        assert f"Case {case.reference} was allocated to you." in item.inner_text()
        assert case.young_person.first_name not in page.content()
        _check(page, "71-notifications-page", width)

        item.get_by_role("button", name="Open").click()
        page.wait_for_url(f"**/cases/{case.pk}/")
        assert page.get_by_role("link", name="Notifications", exact=True).is_visible()
        assert page.get_by_role("link", name="Notifications 1 unread").count() == 0
        _check(page, "72-notification-followed", width)
    context.close()

    allocated.refresh_from_db()
    assert allocated.read_at is not None
