"""A demo spoke worker signs in with the second factor on a phone-sized screen."""

import pytest
from django_otp.oath import TOTP

from demo.data import DEMO_PASSWORD, DEMO_TOTP_KEY_HEX, demo_email, load_demo
from tests.e2e.conftest import axe_violations, fits_width, open_menu, screenshot, sign_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def demo_code() -> str:
    return f"{TOTP(bytes.fromhex(DEMO_TOTP_KEY_HEX)).token():06d}"


def test_spoke_worker_signs_in_with_second_factor_and_lands_on_my_caseload(live_server, phone):
    load_demo()
    page = phone
    page.goto(live_server.url + "/")
    assert page.url.startswith(live_server.url + "/sign-in/")
    assert page.locator("h1").inner_text() == "Sign in to Alexi"
    assert axe_violations(page) == []
    assert fits_width(page)
    screenshot(page, "01-sign-in")

    page.get_by_label("Email address").fill(demo_email("worker.leeds1"))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text() == "Enter your code"
    assert axe_violations(page) == []
    screenshot(page, "02-code")

    page.get_by_label("Code").fill(demo_code())
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "My caseload"
    open_menu(page)  # on a phone the name and role are in the menu
    menu = page.locator("#alexi-menu")
    assert menu.get_by_text("Demo Worker Riley").is_visible()
    assert menu.get_by_text("Spoke worker", exact=True).is_visible()
    assert axe_violations(page) == []
    assert fits_width(page)
    screenshot(page, "03-my-caseload")


def test_wrong_password_shows_a_clear_message_in_the_browser(live_server, phone):
    load_demo()
    page = phone
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Email address").fill(demo_email("worker.leeds1"))
    page.get_by_label("Password").fill("not the demo password")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("alert").get_by_text("There is a problem").is_visible()
    assert "not right" in page.get_by_role("alert").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "04-wrong-password")


@pytest.mark.parametrize(
    ("local", "heading", "pages"),
    [
        (
            "manager.north",
            "Hub overview",
            ["/account/", "/hub/cases/", "/hub/cases/new/", "/referrals/", "/activities/"],
        ),
        (
            "worker.leeds2",
            "My caseload",
            [
                "/referrals/new/",
                "/activities/training/new/",
                "/activities/groupwork/new/",
                "/activities/consultations/new/",
            ],
        ),
        ("funder", "Returns", []),
        (
            "admin",
            "Programme",
            ["/programme/people/", "/programme/people/invite/", "/programme/sign-in-log/"],
        ),
    ],
)
def test_every_role_home_and_its_pages_pass_axe_at_360px(live_server, phone, local, heading, pages):
    load_demo()
    page = phone
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Email address").fill(demo_email(local))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code").fill(demo_code())
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == heading
    assert axe_violations(page) == []
    assert fits_width(page)
    screenshot(page, f"10-{local}-home")
    for path in pages:
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
        assert fits_width(page), path
        screenshot(page, f"11-{local}-{path.strip('/').replace('/', '-')}")


def test_admin_invites_a_worker_who_chooses_a_password_and_sets_up_a_second_factor(
    live_server, phone
):
    import base64
    import re

    from django.core import mail

    load_demo()
    page = phone
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Email address").fill(demo_email("admin"))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code").fill(demo_code())
    page.get_by_role("button", name="Sign in").click()

    page.goto(live_server.url + "/programme/people/invite/")
    page.get_by_label("Full name").fill("Robin Newstarter")
    page.get_by_label("Email address").fill("robin.newstarter@example.org")
    assert not page.get_by_label("Spoke", exact=True).is_visible()  # only for spoke workers
    page.get_by_role("radio", name="Spoke worker").check()
    page.get_by_label("Spoke", exact=True).select_option(label="Demo North Hub (fictional): Leeds")
    page.get_by_label("FTE").fill("0.6")
    screenshot(page, "20-invite-filled")
    page.get_by_role("button", name="Send invitation").click()
    assert page.locator("h1").inner_text() == "Robin Newstarter"
    assert "Invitation sent" in page.get_by_role("status").inner_text()
    sign_out(page)

    link = re.search(r"https?://\S+(/invitation/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + link)
    page.get_by_label("New password").fill("river lantern meadow 2026")
    page.get_by_label("Type the password again").fill("river lantern meadow 2026")
    page.get_by_role("button", name="Save password").click()

    assert page.locator("h1").inner_text() == "Set up your second factor"
    assert axe_violations(page) == []
    assert fits_width(page)
    screenshot(page, "21-set-up-second-factor")
    # On a phone the QR code cannot be scanned: the key is shown as text, grouped to read,
    # with a copy button and a link that opens the authenticator app.
    shown = page.locator("#setup-key")
    assert shown.is_visible()
    assert re.fullmatch(r"([A-Z2-7]{4} )*[A-Z2-7]{1,4}", shown.inner_text())
    key = shown.inner_text().replace(" ", "")
    link = page.get_by_role("link", name="Add Alexi to your authenticator app")
    assert link.is_visible()
    href = link.get_attribute("href")
    assert href.startswith("otpauth://totp/") and f"secret={key}" in href
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy the key").click()
    # The copy is asynchronous (a clipboard promise): wait for the button to say so.
    page.get_by_role("button", name="Key copied").wait_for(state="visible", timeout=5000)
    assert page.evaluate("navigator.clipboard.readText()") == key
    key += "=" * (-len(key) % 8)
    code = f"{TOTP(base64.b32decode(key)).token():06d}"
    page.get_by_label("Code from your app").fill(code)
    page.get_by_role("button", name="Finish set-up").click()
    assert page.locator("#recovery-codes li").count() == 10
    screenshot(page, "22-recovery-codes")
    page.get_by_role("link", name="I have saved my codes").click()
    assert page.locator("h1").inner_text() == "My caseload"
