"""The phone-first shell (issue 13 item 5): on a 360 px phone the header is one line and the
navigation sits behind a Menu button that works with a pointer and the keyboard; the risk level
stays in view while indicators are ticked, without hiding the focused box; decision forms show
only the chosen answer's fields; no page scrolls sideways with long unbroken text. axe-core
finds nothing at 360 and 1280 px."""

import pytest

from casework.models import Case, CaseSession
from demo.data import load_demo
from referrals.models import Referral
from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.test_casework_browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

URL = "https://example.org/" + "a1b2c3d4e5" * 28  # 300 characters, no break in it
PHONE = {"width": 360, "height": 800}
WIDE = {"width": 1280, "height": 900}


def _context(browser, live_server, who, viewport=PHONE):
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url, who)
    return context, page


def _axe(page, name):
    assert axe_violations(page) == [], name


def _fits(page, name, width=360):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name}: the page is {scroll} px wide on a {width} px screen"


def test_the_menu_button_opens_and_closes_the_navigation(live_server, browser):
    load_demo()
    context, page = _context(browser, live_server, "manager.north")
    header = page.locator("header.alexi-header")
    assert header.bounding_box()["height"] <= 64, "the header should be one line on a phone"
    wordmark, toggle = (
        page.locator(".alexi-header__wordmark"),
        page.locator(".alexi-header__menu-toggle"),
    )
    assert abs(wordmark.bounding_box()["y"] - toggle.bounding_box()["y"]) < 24  # one line
    menu = page.locator("#alexi-menu")
    nav_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Referrals")
    button = page.get_by_role("button", name="Menu")
    assert button.get_attribute("aria-controls") == "alexi-menu"
    assert button.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible() and not nav_link.is_visible()
    _axe(page, "home, menu closed")
    screenshot(page, "90-shell-phone-closed")

    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert nav_link.is_visible()
    assert menu.get_by_text("Demo Manager Morgan").is_visible()
    assert menu.get_by_role("button", name="Sign out").is_visible()
    _axe(page, "home, menu open")
    _fits(page, "home, menu open")
    screenshot(page, "91-shell-phone-open")

    # The keyboard: Enter and Space on the focused button close and open it again.
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "false" and not nav_link.is_visible()
    page.keyboard.press("Space")
    assert button.get_attribute("aria-expanded") == "true" and nav_link.is_visible()
    page.keyboard.press("Tab")  # focus moves on into the menu, to its first link
    assert page.evaluate("document.activeElement.closest('#alexi-menu') !== null")
    nav_link.click()
    assert page.locator("h1").inner_text() == "Referrals"
    assert page.get_by_role("button", name="Menu").get_attribute("aria-expanded") == "false"

    # Wider than a phone: no Menu button, the navigation and the person are shown.
    page.set_viewport_size(WIDE)
    page.wait_for_timeout(200)
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert nav_link.is_visible()
    assert (
        page.locator(".alexi-header__account--wide").get_by_text("Demo Manager Morgan").is_visible()
    )
    _axe(page, "referrals at 1280")
    screenshot(page, "92-shell-wide")
    context.close()


def test_the_header_without_javascript_shows_everything(live_server, browser):
    load_demo()
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "worker.leeds1")
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert (
        page.get_by_role("navigation", name="Main")
        .get_by_role("link", name="My caseload")
        .is_visible()
    )
    assert page.get_by_role("button", name="Sign out").is_visible()
    context.close()


def test_the_risk_level_stays_in_view_while_ticking(live_server, browser):
    load_demo()
    case = Case.objects.get(young_person__preferred_name="Amber")
    context, page = _context(browser, live_server, "worker.leeds1")
    page.goto(f"{live_server.url}/cases/{case.pk}/assessments/new/")
    preview = page.locator("#risk-preview")
    boxes = page.locator("input[name=indicators]")
    count = boxes.count()
    assert count > 20
    first = boxes.first
    first.scroll_into_view_if_needed()
    first.check()
    later = boxes.nth(count // 2)
    later.scroll_into_view_if_needed()
    later.check()
    page.wait_for_timeout(500)  # the level comes back from the server (htmx)
    box = preview.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"] + 1, box
    assert box["height"] < PHONE["height"] / 4, "the summary should stay small"
    assert "score" in preview.inner_text()
    _axe(page, "assessment form")
    screenshot(page, "93-sticky-risk-level")

    # Tabbing down the indicators: the focused box is never under the summary (WCAG 2.4.11).
    page.evaluate("window.scrollTo(0, 0)")
    first.focus()
    hidden = []
    for _ in range(count):
        overlap = page.evaluate(
            """() => {
              const f = document.activeElement.getBoundingClientRect();
              const c = document.querySelector('#risk-preview').getBoundingClientRect();
              return f.bottom > c.top && f.top < c.bottom ? document.activeElement.id : null;
            }"""
        )
        if overlap:
            hidden.append(overlap)
        page.keyboard.press("Tab")
    assert hidden == []

    page.set_viewport_size(WIDE)
    page.wait_for_timeout(200)
    _axe(page, "assessment form at 1280")
    context.close()


def test_a_decision_shows_only_the_chosen_answers_fields(live_server, browser):
    load_demo()
    referral = Referral.objects.filter(first_name="Demo Amba").get()
    context, page = _context(browser, live_server, "manager.north")
    page.goto(f"{live_server.url}/referrals/{referral.pk}/")
    worker, reason, signposted = (
        page.locator("#id_worker"),
        page.locator("#id_reason"),
        page.locator("#id_signposted_to"),
    )
    assert not worker.is_visible() and not reason.is_visible() and not signposted.is_visible()
    page.get_by_role("radio", name="Decline").check()
    assert reason.is_visible() and not worker.is_visible() and not signposted.is_visible()
    page.get_by_role("radio", name="Accept and allocate a worker").check()
    assert worker.is_visible() and not reason.is_visible()
    assert page.get_by_role("radio", name="Someone new").is_visible()
    page.get_by_role("radio", name="Put on the waiting list").check()
    assert not worker.is_visible() and not reason.is_visible() and not signposted.is_visible()
    page.get_by_role("radio", name="Decline").check()
    _axe(page, "referral decision")
    _fits(page, "referral decision")
    screenshot(page, "94-referral-decision")
    page.get_by_role("button", name="Record the decision").click()  # no reason: refused
    assert page.get_by_text("Say why the referral is declined").first.is_visible()
    assert reason.is_visible(), "the chosen answer's fields stay open to put the problem right"
    page.set_viewport_size(WIDE)
    _axe(page, "referral decision at 1280")
    context.close()


def test_no_page_scrolls_sideways_with_long_unbroken_text(live_server, browser):
    load_demo()
    case = Case.objects.get(young_person__preferred_name="Amber")
    session = CaseSession.objects.filter(case=case).latest("date")
    CaseSession.objects.filter(pk=session.pk).update(notes=f"See {URL}", young_person_words=URL)
    Referral.objects.filter(first_name="Demo Amba").update(concerns=URL, referrer_agency=URL[:200])
    referral = Referral.objects.get(first_name="Demo Amba")
    pages = {
        "worker.leeds1": [
            ("caseload", "/"),
            ("case", f"/cases/{case.pk}/"),
            ("session", f"/cases/{case.pk}/sessions/{session.pk}/"),
            ("assessment", f"/cases/{case.pk}/assessments/new/"),
            ("record a referral", "/referrals/new/"),
            ("account", "/account/"),
        ],
        "manager.north": [
            ("hub overview", "/"),
            ("referral", f"/referrals/{referral.pk}/"),
            ("referrals", "/referrals/"),
            ("hub caseload", "/hub/cases/"),
            ("case", f"/cases/{case.pk}/"),
        ],
        "funder": [("returns", "/")],
        "admin": [("programme", "/"), ("people", "/programme/people/")],
    }
    for who, paths in pages.items():
        context, page = _context(browser, live_server, who)
        for name, path in paths:
            page.goto(live_server.url + path)
            assert page.locator("header.alexi-header").bounding_box()["height"] <= 64, name
            _fits(page, f"{who} {name}")
            page.get_by_role("button", name="Menu").click()
            _fits(page, f"{who} {name}, menu open")
            if name in ("case", "referral", "caseload", "hub overview", "programme", "returns"):
                _axe(page, f"{who} {name}")
        context.close()
