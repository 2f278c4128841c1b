"""Passkeys in Chromium, with the browser's own virtual authenticator (DevTools WebAuthn), and
without bypassing our Content-Security-Policy: django-otp-webauthn's scripts, served from our
static files, must make the passkey and sign in with it under the policy the site sends."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.data import DEMO_PASSWORD, demo_email, load_demo
from tests.e2e.conftest import fits_width, screenshot, sign_out
from tests.e2e.test_sign_in_browser import demo_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fresh_code() -> str:
    TOTPDevice.objects.update(last_t=-1)  # as if the next 30 seconds had come
    return demo_code()


def axe_under_csp(page) -> list:
    """axe-core from our own static files, so it loads under the site's CSP."""
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate("async () => await axe.run(document)")
    return [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_an_administrator_adds_a_passkey_and_signs_in_with_it_at_360px(
    live_server, browser, settings
):
    load_demo()
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url.replace("127.0.0.1", "localhost")]
    base = settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0]
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    page.goto(base + "/sign-in/")
    page.get_by_label("Email address").fill(demo_email("admin"))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code").fill(demo_code())
    page.get_by_role("button", name="Sign in").click()

    page.goto(base + "/account/passkeys/add/")
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(fresh_code())
    page.get_by_role("button", name="Continue").click()
    create = page.get_by_role("button", name="Create a passkey on this device")
    create.wait_for()
    assert axe_under_csp(page) == []
    assert fits_width(page)
    screenshot(page, "30-passkey-create")
    create.click()
    page.wait_for_url(base + "/account/passkeys/")
    assert page.get_by_role("heading", name="Passkey 1").is_visible()
    assert axe_under_csp(page) == []
    assert fits_width(page)
    screenshot(page, "31-passkeys")

    sign_out(page)
    page.get_by_label("Email address").fill(demo_email("admin"))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    passkey = page.get_by_role("button", name="Sign in with a passkey")
    passkey.wait_for()
    assert axe_under_csp(page) == []
    screenshot(page, "32-sign-in-with-passkey")
    passkey.click()
    page.wait_for_url(base + "/")
    assert page.locator("h1").inner_text() == "Programme"
    assert not [p for p in problems if "Content Security Policy" in p], problems
    context.close()
