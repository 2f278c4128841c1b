"""On a 360 px phone: long unbroken text never widens a page, and wide tables scroll inside
a labelled region that shows it scrolls (issue 11, items 8 and 9)."""

from datetime import date

import pytest

from alexi.models import User
from casework.models import Case, CaseSession
from demo.data import demo_email, load_demo
from referrals.models import Referral
from tests.e2e.conftest import axe_violations, fits_width, screenshot
from tests.e2e.test_casework_browser import sign_in
from training.models import TrainingEvent, TrainingKind

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WORD = "W" * 5000
URL = "https://example.org/" + "a1b2c3d4e5" * 28  # 300 characters, no break in it
NAME = "Amber" + "x" * 95  # a name field holds 100 characters

REGIONS = """() => [...document.querySelectorAll("table")].map((table) => {
  const wrap = table.closest(".alexi-table-wrap");
  const hint = wrap && wrap.previousElementSibling;
  const hintShown = !!(hint && hint.classList.contains("alexi-table-hint") && !hint.hidden
    && hint.offsetHeight > 0 && hint.textContent.includes("Scroll sideways"));
  return {
    table: (table.caption && table.caption.textContent.trim())
      || (wrap && wrap.getAttribute("aria-label")) || table.outerHTML.slice(0, 80),
    region: !!wrap && wrap.getAttribute("role") === "region" && wrap.tabIndex === 0
      && !!(wrap.getAttribute("aria-label") || wrap.getAttribute("aria-labelledby")),
    overflows: !!wrap && wrap.scrollWidth > wrap.clientWidth + 1,
    marked: !!wrap && wrap.classList.contains("alexi-table-wrap--overflows"),
    hintShown,
    shadow: !!wrap && getComputedStyle(wrap).backgroundImage.includes("gradient"),
  };
})"""


def _last_ended_quarter(today: date) -> str:
    quarter = (today.month - 1) // 3  # the quarter in progress is quarter + 1
    return f"{today.year - 1}Q4" if quarter == 0 else f"{today.year}Q{quarter}"


def _phone(browser, live_server, who):
    context = browser.new_context(viewport={"width": 360, "height": 780}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url, who)
    return context, page


def _no_page_overflow(page, name):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert fits_width(page), f"{name}: the page is {width} px wide on a 360 px screen"
    assert width <= 360, name


def _tables_scroll_with_a_cue(page, name, *, must_overflow=False):
    tables = page.evaluate(REGIONS)
    assert tables, f"{name}: no table found"
    for t in tables:
        assert t["region"], f"{name}: {t['table']} is not in a labelled, focusable region"
        assert t["shadow"], f"{name}: {t['table']} region has no edge shadow"
        assert t["marked"] == t["overflows"], f"{name}: {t['table']} overflow mark is wrong"
        assert t["hintShown"] == t["overflows"], f"{name}: {t['table']} hint is wrong"
    if must_overflow:
        assert any(t["overflows"] for t in tables), f"{name}: expected a table wider than 360"
    return tables


def _axe(page, name):
    assert axe_violations(page) == [], name


def test_long_unbroken_text_never_widens_a_page(live_server, browser):
    load_demo()
    case = Case.objects.get(young_person__preferred_name="Amber")
    case.young_person.__class__.objects.filter(pk=case.young_person_id).update(
        preferred_name=NAME, first_name=NAME
    )
    session = CaseSession.objects.filter(case=case).latest("date")
    CaseSession.objects.filter(pk=session.pk).update(
        notes=f"See {URL} and {WORD}", young_person_words=WORD
    )
    TrainingEvent.objects.create(
        spoke=case.spoke, date=date.today(), title="T" * 200, kind=TrainingKind.choices[0][0]
    )
    User.objects.filter(email=demo_email("worker.leeds2")).update(full_name="Jordan" + "y" * 194)
    referral = Referral.objects.filter(first_name="Demo Amba").get()
    Referral.objects.filter(pk=referral.pk).update(
        concerns=f"{WORD} {URL}", first_name=NAME, referrer_agency=WORD[:200]
    )

    context, page = _phone(browser, live_server, "worker.leeds1")
    base = live_server.url
    page.goto(f"{base}/cases/{case.pk}/")
    assert page.get_by_text(URL).is_visible()
    _no_page_overflow(page, "case")
    close = page.get_by_role("link", name="Close this case")
    close.scroll_into_view_if_needed()
    box = close.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    _axe(page, "case")
    screenshot(page, "80-case-long-text")
    close.click()
    assert page.url.endswith(f"/cases/{case.pk}/close/")

    page.goto(f"{base}/cases/{case.pk}/print/")
    _no_page_overflow(page, "print view")
    _tables_scroll_with_a_cue(page, "print view")
    _axe(page, "print view")
    page.goto(f"{base}/")
    _no_page_overflow(page, "caseload")
    context.close()

    context, page = _phone(browser, live_server, "manager.north")
    page.goto(f"{base}/referrals/{referral.pk}/")
    assert page.get_by_text(URL).is_visible()
    _no_page_overflow(page, "referral")
    _axe(page, "referral")
    screenshot(page, "81-referral-long-text")
    for name, path in [
        ("referrals", "/referrals/"),
        ("hub caseload", "/hub/cases/"),
        ("hub overview", "/"),
        ("activities", "/activities/"),
    ]:
        page.goto(base + path)
        shown = {"activities": "T" * 200, "hub caseload": "Jordan" + "y" * 194}.get(name)
        assert shown is None or shown in page.content(), f"{name}: the long text is not shown"
        _no_page_overflow(page, name)
        _tables_scroll_with_a_cue(page, name)
    context.close()


def test_wide_tables_scroll_in_a_region_that_shows_it(live_server, browser):
    load_demo()
    from reporting.returns import generate_quarter

    generate_quarter(_last_ended_quarter(date.today()))
    base = live_server.url
    roles = [
        ("funder", [("returns", "/returns/", True)]),
        ("manager.north", [("hub caseload", "/hub/cases/", True), ("hub overview", "/", True)]),
        ("admin", [("programme", "/", True)]),
    ]
    for who, pages in roles:  # one sign-in per person: a second-factor code works once
        context, page = _phone(browser, live_server, who)
        for name, path, must_overflow in pages:
            page.set_viewport_size({"width": 360, "height": 780})
            page.goto(base + path)
            _no_page_overflow(page, name)
            tables = _tables_scroll_with_a_cue(page, name, must_overflow=must_overflow)
            _axe(page, name)
            screenshot(page, f"82-tables-{name.replace(' ', '-')}")
            if must_overflow:
                # The keyboard scrolls a region once it has focus.
                region = page.locator(".alexi-table-wrap--overflows").first
                region.focus()
                page.keyboard.press("ArrowRight")
                page.wait_for_timeout(200)
                assert region.evaluate("el => el.scrollLeft") > 0, name
            # Wider, the hint follows what still overflows (the page is not reloaded).
            page.set_viewport_size({"width": 1280, "height": 900})
            page.wait_for_timeout(300)
            wide = page.evaluate(REGIONS)
            assert len(wide) == len(tables), name
            for after in wide:
                assert after["hintShown"] == after["overflows"], (name, after)
                assert after["marked"] == after["overflows"], (name, after)
            if name == "returns":  # four columns fit at 1280 px: the hint has gone
                assert not any(after["overflows"] or after["hintShown"] for after in wide)
        context.close()
