"""A programme administrator keeps the programme's structure on a phone and on a laptop: every
page passes axe-core at 360 and 1280 px, fits the screen, and asks for nothing that is missing
(no favicon 404), including a refused spoke end and a stale edit."""

import pytest

from alexi.models import Hub, Spoke, User, WorkerProfile
from demo.data import demo_email, load_demo
from tests.e2e.conftest import axe_violations, fits_width, screenshot
from tests.e2e.test_casework_browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def watch_missing(page) -> list[str]:
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    return missing


def check_page(page, name: str, width: int) -> None:
    assert axe_violations(page) == [], f"{name} at {width}px"
    assert fits_width(page), f"{name} at {width}px"
    screenshot(page, f"structure-{name}-{width}")


@pytest.mark.parametrize("width", [360, 1280])
def test_administrator_keeps_the_structure_in_alexis_own_pages(live_server, browser, width):
    load_demo()
    base = live_server.url
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    missing = watch_missing(page)
    sign_in(page, base, "admin")

    page.goto(base + "/programme/structure/")
    assert page.locator("h1").inner_text() == "Programme structure"
    check_page(page, "index", width)
    for kind in ["hubs", "spokes", "funders", "la-areas", "workers"]:
        page.goto(f"{base}/programme/structure/{kind}/")
        check_page(page, f"list-{kind}", width)

    hub = Hub.objects.get(ref="DEMO-NORTH")
    page.goto(f"{base}/programme/structure/hubs/{hub.pk}/")
    check_page(page, "hub", width)
    page.get_by_role("link", name="ask for an existing hub manager").click()
    check_page(page, "hub-ask-manager", width)
    page.goto(f"{base}/programme/structure/hubs/new/")
    page.get_by_role("button", name="Add hub").click()  # nothing filled in: errors shown
    assert page.locator(".govuk-error-summary").is_visible()
    check_page(page, "hub-errors", width)

    # Ending a spoke that still has cases and workers is refused on the field.
    leeds = Spoke.objects.get(ref="DEMO-LEEDS")
    page.goto(f"{base}/programme/structure/spokes/{leeds.pk}/")
    check_page(page, "spoke", width)
    page.get_by_role("link", name="End this spoke").click()
    page.get_by_role("button", name="End this spoke").click()
    assert "This spoke still has" in page.locator(".govuk-error-message").inner_text()
    check_page(page, "spoke-end-refused", width)

    # Two tabs on the same spoke: the second save is refused with both versions.
    other = context.new_page()
    url = f"{base}/programme/structure/spokes/{leeds.pk}/"
    page.goto(url)
    other.goto(url)
    page.get_by_label("Host agency").fill("Saved first")
    page.get_by_role("button", name="Save changes").click()
    other.get_by_label("Host agency").fill("Saved second")
    other.get_by_role("button", name="Save changes").click()
    assert "Someone else saved this record" in other.locator(".govuk-error-summary").inner_text()
    check_page(other, "spoke-stale", width)
    other.close()

    worker = WorkerProfile.objects.get(user__email=demo_email("worker.leeds1"))
    page.goto(f"{base}/programme/structure/workers/{worker.pk}/")
    check_page(page, "worker", width)
    page.get_by_role("link", name="Move to another spoke").click()
    check_page(page, "worker-move", width)

    page.goto(base + "/access-requests/")
    check_page(page, "access-requests", width)

    # The Django admin remains for a superuser; it too asks for no missing icon.
    User.objects.filter(email=demo_email("admin")).update(is_superuser=True)
    page.goto(base + "/admin/")
    assert page.locator("#site-name").is_visible()
    assert missing == [], missing
    context.close()
