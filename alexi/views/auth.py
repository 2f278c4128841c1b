"""Sign-in in two steps (password, then second factor), set-up, invitations and sign-out."""

from __future__ import annotations

import base64
import hashlib
import math
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from alexi.audit import lockout_address, record_access
from alexi.forms import (
    PASSKEY_ONLY_CODE_REFUSED,
    ChoosePasswordForm,
    CodeForm,
    ConfirmItIsYouForm,
    SetupCodeForm,
    SignInForm,
)
from alexi.middleware import second_factor_not_required
from alexi.models import AccessAction, UserSession
from alexi.passkeys.middleware import PASSKEY_CONFIRMED_KEY, PASSKEY_NEEDED_KEY
from alexi.passkeys.services import passkey_enrolment_needed, passkeys_required, user_passkeys
from alexi.services import (
    invitation_accept,
    invitation_find,
    invitation_open,
    recovery_codes_make,
    session_register,
    totp_device_confirm,
    totp_device_start,
)

MAX_CODE_FAILURES = 5


def _safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("alexi:home")


def locked_out(request, original_response=None, credentials=None, *args, **kwargs):
    """Shown when sign-in is paused for this email address from this address (django-axes)."""
    return render(
        request,
        "auth/locked_out.html",
        {
            "title": "Sign-in paused",
            "minutes": math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
        },
        status=429,
    )


@login_not_required
@second_factor_not_required
@require_http_methods(["GET", "POST"])
def sign_in(request):
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(_safe_next(request))
    form = SignInForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = authenticate(
                request,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
            if getattr(request, "axes_locked_out", False):
                return locked_out(request)
            if user is not None:
                login(request, user)
                request.session["signed_in_at"] = time.time()
                session_register(user=user, session_key=request.session.session_key)
                target = (
                    "alexi:second_factor" if user_has_device(user) else "alexi:second_factor_setup"
                )
                url = reverse(target)
                next_url = _safe_next(request)
                if next_url != reverse("alexi:home"):
                    url += "?" + urlencode({"next": next_url})
                return redirect(url)
            form.add_error(None, "The email address or password is not right. Check and try again.")
        status = 400
    return render(
        request,
        "auth/sign_in.html",
        {"form": form, "title": "Sign in", "next": request.GET.get("next", "")},
        status=status,
    )


def finish_second_factor(request, device) -> None:
    otp_login(request, device)
    old_key = request.session.session_key
    request.session.cycle_key()  # a new session id once fully signed in
    UserSession.objects.filter(session_key=old_key).delete()
    session_register(user=request.user, session_key=request.session.session_key)
    request.session.pop("code_failures", None)
    # Their role needs a passkey and they have none: they add one before anything else.
    request.session[PASSKEY_NEEDED_KEY] = passkey_enrolment_needed(request.user)
    record_access(request, AccessAction.SIGN_IN)


@second_factor_not_required
@require_http_methods(["GET", "POST"])
def second_factor(request):
    user = request.user
    if user.is_verified():
        return redirect(_safe_next(request))
    if not user_has_device(user):
        return redirect("alexi:second_factor_setup")
    form = CodeForm(request.POST if request.method == "POST" else None)
    has_passkeys = user_passkeys(user).exists()
    passkey_only = has_passkeys and passkeys_required(user)
    status = 200
    if request.method == "POST":
        paused_until = form.is_valid() and codes_paused_until(user, form.cleaned_data["code"])
        if paused_until:
            # Not checked at all (the device refuses every code until then), so not counted:
            # the owner, typing the right code, is told why and when, not "not accepted".
            form.add_error("code", paused_message(paused_until))
        elif form.is_valid() and passkey_only and _is_app_code(form.cleaned_data["code"]):
            form.add_error("code", PASSKEY_ONLY_CODE_REFUSED)
        elif form.is_valid():
            device = match_token(user, form.cleaned_data["code"])
            if device is not None:
                finish_second_factor(request, device)
                if isinstance(device, StaticDevice):
                    record_access(request, AccessAction.RECOVERY_CODE_USED)
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        f"You signed in with a recovery code. You have {left} left. "
                        "You can make new ones on Your account.",
                    )
                return redirect(_safe_next(request))
            record_access(request, AccessAction.SECOND_FACTOR_FAILED)
            failures = request.session.get("code_failures", 0) + 1
            request.session["code_failures"] = failures
            if failures >= MAX_CODE_FAILURES:
                record_access(request, AccessAction.LOCKED_OUT)
                paused_until = codes_paused_until(user, form.cleaned_data["code"])
                logout(request)
                messages.error(
                    request,
                    "That code was not accepted several times, so for safety you need to "
                    "sign in again."
                    + (
                        f" Codes are paused until {_clock(paused_until)}: sign in after that."
                        if paused_until
                        else ""
                    ),
                )
                return redirect("alexi:sign_in")
            form.add_error(
                "code",
                "That code was not accepted. Codes change every 30 seconds and each works "
                "once: wait for a new one and try again.",
            )
        status = 400
    return render(
        request,
        "auth/second_factor.html",
        {
            "form": form,
            "title": "Enter your code",
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "has_passkeys": has_passkeys,
            "passkey_only": passkey_only,
        },
        status=status,
    )


def _clock(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M:%S")


def _is_app_code(code: str) -> bool:
    return code.isdigit() and len(code) == 6


def codes_paused_until(user, code: str):
    """When the devices that could accept this code stop refusing every code after repeated
    wrong ones (django-otp's throttling: 1, 2, 4, 8... seconds), or None if they accept codes
    now. A 6-digit code is for the authenticator app; anything else is a recovery code."""
    kind = TOTPDevice if _is_app_code(code) else StaticDevice
    untils = []
    for device in kind.objects.filter(user=user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if allowed:
            return None
        untils.append((data or {}).get("locked_until") or timezone.now())
    return min(untils) if untils else None


def paused_message(until) -> str:
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    wait = f"{seconds} seconds" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"
    return (
        "There have been too many attempts with codes that were not accepted, so codes are "
        f"paused for a short time. Try again after {_clock(until)} (in {wait}) with the newest "
        "code from your app."
    )


ENROL_SESSION_KEY = "alexi_enrol_user"
PENDING_DEVICE_KEY = "alexi_pending_totp"


@second_factor_not_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request):
    """Set up the authenticator app. Only straight after choosing a password from an emailed
    invitation: a password alone never lets anyone add a second factor to an account."""
    user = request.user
    if user_has_device(user):
        return redirect("alexi:second_factor" if not user.is_verified() else "alexi:home")
    if request.session.get(ENROL_SESSION_KEY) != user.pk:
        # Say whether their emailed link still works: while it does, it starts set-up again.
        return render(
            request,
            "auth/setup_needs_invitation.html",
            {"title": "Set-up needs your invitation link", "invitation": invitation_open(user)},
            status=403,
        )
    device = None
    if request.session.get(PENDING_DEVICE_KEY):
        device = TOTPDevice.objects.filter(
            pk=request.session[PENDING_DEVICE_KEY], user=user, confirmed=False
        ).first()
    if device is None:
        device = totp_device_start(user=user)
        request.session[PENDING_DEVICE_KEY] = device.pk
    form = SetupCodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and device.verify_token(form.cleaned_data["code"]):
            codes = totp_device_confirm(user=user, device=device)
            request.session.pop(ENROL_SESSION_KEY, None)
            request.session.pop(PENDING_DEVICE_KEY, None)
            finish_second_factor(request, device)
            record_access(request, AccessAction.SECOND_FACTOR_ENROLLED)
            return render(
                request,
                "auth/recovery_codes.html",
                {"codes": codes, "title": "Your recovery codes", "first_time": True},
            )
        if form.is_valid():
            form.add_error(
                "code",
                "That code was not accepted. Check the app shows Alexi and enter the newest code.",
            )
        status = 400
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "auth/second_factor_setup.html",
        {
            "form": form,
            "title": "Set up your second factor",
            # Grouped in fours to read and type; copied and linked without the spaces.
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "secret_plain": secret,
            "otpauth_url": device.config_url,
            "qr_svg": mark_safe(  # noqa: S308 (segno's own SVG of our own otpauth URL)
                qr.svg_inline(
                    scale=5, dark="#0b0c0c", title="QR code for Alexi", svgclass="alexi-qr__code"
                )
            ),
        },
        status=status,
    )


def code_failed(request) -> bool:
    """Count a wrong code in this session; True when it was one too many (then the session is
    ended, as on the sign-in code page)."""
    record_access(request, AccessAction.SECOND_FACTOR_FAILED)
    failures = request.session.get("code_failures", 0) + 1
    request.session["code_failures"] = failures
    if failures < MAX_CODE_FAILURES:
        return False
    record_access(request, AccessAction.LOCKED_OUT)
    logout(request)
    messages.error(
        request,
        "That code was not accepted several times, so for safety you need to sign in again.",
    )
    return True


def passkey_only_for(user) -> bool:
    """Their role signs in with a passkey and they have one: an app code is refused for them,
    at sign-in and when they confirm it is them (a recovery code still works)."""
    return passkeys_required(user) and user_passkeys(user).exists()


def confirm_form(request) -> ConfirmItIsYouForm:
    """The password-and-code form; a passkey used on the page just before stands in for the
    code (the password is still asked). Someone whose role signs in with a passkey confirms
    as they sign in: with the passkey, or else a recovery code, never an app code."""
    return ConfirmItIsYouForm(
        request.POST if request.method == "POST" else None,
        passkey_confirmed=request.session.get(PASSKEY_CONFIRMED_KEY, 0) > time.time(),
        passkey_only=passkey_only_for(request.user),
    )


def confirm_it_is_you(request, form):
    """Check the password and a current authenticator code again (ConfirmItIsYouForm), before
    a change that lets whoever holds the session sign in later. True when both are right;
    False with the errors on the form's fields; or a response to return at once when the
    session had to end. Wrong passwords count towards the sign-in lockout (then the session
    ends), wrong codes towards the code limit; nothing is changed on an error. The second
    factor follows the sign-in rule: where the role signs in with a passkey (and the person
    has one), an app code is refused and a recovery code stands in for a missing passkey."""
    if not form.is_valid():
        return False
    user = request.user
    code = form.cleaned_data["code"]
    # The rule is checked here too, not only by the form: a form made without the flag
    # never lets an app code through for someone who must use a passkey.
    only_passkey = form.passkey_only or passkey_only_for(user)
    if only_passkey and _is_app_code(code):
        form.add_error("code", PASSKEY_ONLY_CODE_REFUSED)
        return False
    checked = authenticate(request, email=user.email, password=form.cleaned_data["password"])
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return locked_out(request)
    if checked is None or checked.pk != user.pk:
        form.add_error("password", "That password is not right. Check and try again.")
        return False
    if form.passkey_confirmed and not code:
        request.session.pop(PASSKEY_CONFIRMED_KEY, None)  # one change for each passkey use
        request.session.pop("code_failures", None)
        return True
    paused_until = codes_paused_until(user, code)
    if paused_until:
        form.add_error("code", paused_message(paused_until))
        return False
    devices = (
        StaticDevice.objects.filter(user=user, confirmed=True)
        if only_passkey
        else TOTPDevice.objects.filter(user=user, confirmed=True)
    )
    if not any(device.verify_token(code) for device in devices):
        if code_failed(request):
            return redirect("alexi:sign_in")
        form.add_error(
            "code",
            "That recovery code was not accepted. Check it and try again: each code works once."
            if only_passkey
            else "That code was not accepted. Codes change every 30 seconds and each works "
            "once: wait for a new one and try again.",
        )
        return False
    if only_passkey:
        record_access(request, AccessAction.RECOVERY_CODE_USED)
    request.session.pop("code_failures", None)
    return True


@require_http_methods(["GET", "POST"])
def recovery_codes_new(request):
    """New recovery codes only with the password and a current authenticator code: whoever
    holds a session alone (a stolen cookie, an unlocked computer) cannot make a lasting way in."""
    form = confirm_form(request)
    status = 200
    if request.method == "POST":
        confirmed = confirm_it_is_you(request, form)
        if confirmed is True:
            codes = recovery_codes_make(user=request.user)
            record_access(
                request,
                AccessAction.SECOND_FACTOR_ENROLLED,
                object_type="recovery_codes",
                object_id=request.user.pk,
            )
            return render(
                request,
                "auth/recovery_codes.html",
                {"codes": codes, "title": "Your new recovery codes", "first_time": False},
            )
        if confirmed is not False:
            return confirmed
        status = 400
    return render(
        request,
        "auth/recovery_codes_new.html",
        {
            "form": form,
            "title": "Make new recovery codes",
            "has_passkeys": user_passkeys(request.user).exists(),
        },
        status=status,
    )


@login_not_required
@second_factor_not_required
@require_POST
def sign_out(request):
    key = request.session.session_key
    logout(request)
    if key:
        UserSession.objects.filter(session_key=key).delete()
    messages.info(request, "You have signed out.")
    return redirect("alexi:sign_in")


INVITATION_SESSION_KEY = "alexi_invitation_token"


@login_not_required
@second_factor_not_required
@require_GET
def invitation(request, token: str):
    """Keep the token in the session and move to a URL without it (kept out of logs and the
    Referer header), as Django's password reset does."""
    request.session[INVITATION_SESSION_KEY] = token
    return redirect("alexi:invitation_password")


def _unusable_invitation(request):
    return render(
        request,
        "auth/invitation_unusable.html",
        {"title": "This invitation link cannot be used"},
        status=410,
    )


@login_not_required
@second_factor_not_required
@require_http_methods(["GET", "POST"])
def invitation_password(request):
    token = request.session.get(INVITATION_SESSION_KEY, "")
    found = invitation_find(token) if token else None
    if found is None:
        return _unusable_invitation(request)
    form = ChoosePasswordForm(found.user, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = invitation_accept(
                token=token, password=form.cleaned_data["password1"], request=request
            )
            if user is None:
                return _unusable_invitation(request)
            # Holding the emailed link and choosing the password signs them in for set-up.
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session.pop(INVITATION_SESSION_KEY, None)
            request.session["signed_in_at"] = time.time()
            request.session[ENROL_SESSION_KEY] = user.pk
            session_register(user=user, session_key=request.session.session_key)
            return redirect("alexi:second_factor_setup")
        status = 400
    return render(
        request,
        "auth/invitation.html",
        {"form": form, "title": "Choose your password", "invited": found.user},
        status=status,
    )


class LoggedPasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, written to the access log."""

    def form_valid(self, form):
        response = super().form_valid(form)
        record_access(self.request, AccessAction.PASSWORD_CHANGED)
        return response


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def reset_requests_over_limit(request, email: str) -> bool:
    """Count this reset request against its email address and its client address (each in a
    window of PASSWORD_RESET_LIMIT_SECONDS); True when either is over its limit."""
    window = settings.PASSWORD_RESET_LIMIT_SECONDS
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    client_key = lockout_address(request) or "unknown"
    over = False
    for key, limit in (
        (f"alexi:reset:address:{email_key}", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS),
        (f"alexi:reset:client:{client_key}", settings.PASSWORD_RESET_LIMIT_PER_CLIENT),
    ):
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: this is the first of a new window
            cache.set(key, 1, timeout=window)
            count = 1
        over = over or count > limit
    return over


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset with a limit per email address and per client address, and an
    answer that takes the same time whether or not the address has an account: the form does
    the same work either way, the email is sent off the request, and every answer is padded
    to PASSWORD_RESET_MIN_SECONDS."""

    def post(self, request, *args, **kwargs):
        started = time.monotonic()
        form = self.get_form()
        if not form.is_valid():
            response = self.form_invalid(form)
        elif reset_requests_over_limit(request, form.cleaned_data["email"]):
            response = render(
                request,
                "auth/password_reset_limited.html",
                {"title": "Try again later"},
                status=429,
            )
        else:
            response = self.form_valid(form)
        remaining = settings.PASSWORD_RESET_MIN_SECONDS - (time.monotonic() - started)
        if remaining > 0:
            _sleep(remaining)
        return response


class LoggedPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's password reset (which never signs in: the second factor is still needed)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        record_access(self.request, AccessAction.PASSWORD_CHANGED, user=form.user)
        return response
