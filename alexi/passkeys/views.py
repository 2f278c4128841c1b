"""Passkeys on Your account (add, name, remove), with passkeys at sign-in, and the setting that
lets programme administrators require them for their own role.

The WebAuthn ceremonies are django-otp-webauthn's views, wrapped here so that they fit Alexi:
signing in with a passkey goes through the same finish as an authenticator code (new session
id, session register, access log), adding one needs the password and a current code first, and
each wrapped view says which sign-in step may reach it.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as webauthn_views
from django_otp_webauthn.models import WebAuthnCredential

from alexi.access import require_role
from alexi.audit import record_access
from alexi.middleware import second_factor_not_required
from alexi.models import AccessAction, Role
from alexi.passkeys.forms import PasskeyNameForm, PasskeyRequirementForm
from alexi.passkeys.middleware import (
    PASSKEY_CONFIRMED_KEY,
    PASSKEY_NEEDED_KEY,
    passkey_not_required,
)
from alexi.passkeys.models import PasskeyRequirement
from alexi.passkeys.services import (
    PasskeyRefused,
    passkey_remove,
    passkey_rename,
    passkey_requirement_set,
    passkeys_required,
    user_passkeys,
)

# A passkey used to confirm it is you stands in for a code on the next form for this long.
CONFIRM_WINDOW_SECONDS = 5 * 60
# After the password and a code are confirmed, a passkey can be added for this long.
ADD_WINDOW_SECONDS = 10 * 60
ADD_UNTIL_KEY = "alexi_passkey_add_until"


def _may_add_now(request) -> bool:
    return request.session.get(ADD_UNTIL_KEY, 0) > time.time()


def passkeys(request):
    """Your passkeys: one per phone or computer, each with a name you can change."""
    return render(
        request,
        "passkeys/list.html",
        {
            "title": "Your passkeys",
            "passkeys": list(user_passkeys(request.user)),
            "required": passkeys_required(request.user),
        },
    )


@passkey_not_required
@require_http_methods(["GET", "POST"])
def passkey_add(request):
    """Confirm it is you (password and a current code), then create a passkey on this device."""
    from alexi.views.auth import confirm_form, confirm_it_is_you

    needed = bool(request.session.get(PASSKEY_NEEDED_KEY))
    form = confirm_form(request)
    status = 200
    if request.method == "POST":
        confirmed = confirm_it_is_you(request, form)
        if confirmed is True:
            request.session[ADD_UNTIL_KEY] = time.time() + ADD_WINDOW_SECONDS
            return redirect("passkey_create")
        if confirmed is not False:
            return confirmed
        status = 400
    return render(
        request,
        "passkeys/add.html",
        {
            "title": "Add a passkey",
            "form": form,
            "needed": needed,
            "has_passkeys": user_passkeys(request.user).exists(),
        },
        status=status,
    )


@passkey_not_required
@require_http_methods(["GET"])
def passkey_create(request):
    """The button that asks this phone or computer to make a passkey (django-otp-webauthn's
    script, served from our static files)."""
    if not _may_add_now(request):
        return redirect("passkey_add")
    return render(request, "passkeys/create.html", {"title": "Add a passkey"})


@require_POST
def passkey_rename_view(request, passkey_id: int):
    passkey = get_object_or_404(WebAuthnCredential, pk=passkey_id, user=request.user)
    form = PasskeyNameForm(request.POST)
    if form.is_valid():
        try:
            passkey_rename(actor=request.user, passkey=passkey, name=form.cleaned_data["name"])
        except PasskeyRefused as refused:
            form.add_error("name", str(refused))
    if form.errors:
        return render(
            request,
            "passkeys/rename.html",
            {"title": "Name your passkey", "form": form, "passkey": passkey},
            status=400,
        )
    messages.success(request, f"Passkey renamed to “{passkey.name}”.")
    return redirect("passkeys")


@require_http_methods(["GET", "POST"])
def passkey_remove_view(request, passkey_id: int):
    """Removing a passkey changes how this person signs in, so, as adding one, it needs the
    password and a current code (or a passkey) again: the session alone changes nothing."""
    from alexi.views.auth import confirm_form, confirm_it_is_you

    passkey = get_object_or_404(WebAuthnCredential, pk=passkey_id, user=request.user)
    name = passkey.name
    form = confirm_form(request)
    status = 200
    if request.method == "POST":
        confirmed = confirm_it_is_you(request, form)
        if confirmed is True:
            try:
                passkey_remove(actor=request.user, passkey=passkey, request=request)
            except PasskeyRefused as refused:
                return render(
                    request,
                    "passkeys/list.html",
                    {
                        "title": "Your passkeys",
                        "passkeys": list(user_passkeys(request.user)),
                        "required": True,
                        "refused": str(refused),
                    },
                    status=409,
                )
            messages.success(request, f"Passkey “{name}” removed. It can no longer sign you in.")
            return redirect("passkeys")
        if confirmed is not False:
            return confirmed
        status = 400
    return render(
        request,
        "passkeys/remove.html",
        {
            "title": "Remove a passkey",
            "form": form,
            "passkey": passkey,
            "has_passkeys": True,
        },
        status=status,
    )


@require_role(Role.PROGRAMME_ADMIN)
@require_http_methods(["GET", "POST"])
def passkey_requirement(request):
    from alexi.views.auth import confirm_form, confirm_it_is_you

    current = PasskeyRequirement.objects.filter(role=Role.PROGRAMME_ADMIN).first()
    initial = {"required": "yes" if current and current.required else "no"}
    form = PasskeyRequirementForm(request.POST or None, initial=initial)
    confirm = confirm_form(request)
    status = 200
    if request.method == "POST":
        # The setting changes how administrators sign in, so the password and a current
        # code (or a passkey) are asked again, as for adding a passkey; the choice is checked
        # first so that a missing answer does not cost a password attempt.
        confirmed = confirm_it_is_you(request, confirm) if form.is_valid() else False
        if confirmed is not True and confirmed is not False:
            return confirmed
        if confirmed is True:
            try:
                passkey_requirement_set(
                    actor=request.user,
                    role=Role.PROGRAMME_ADMIN,
                    required=form.cleaned_data["required"],
                    request=request,
                )
            except PasskeyRefused as refused:
                form.add_error("required", str(refused))
            else:
                messages.success(
                    request,
                    "Programme administrators now sign in with a passkey."
                    if form.cleaned_data["required"]
                    else "Programme administrators can sign in with a passkey or a code.",
                )
                return redirect("passkey_requirement")
        status = 400
    return render(
        request,
        "passkeys/requirement.html",
        {
            "title": "Passkeys for administrators",
            "form": form,
            "confirm": confirm,
            "current": current,
            "has_passkeys": user_passkeys(request.user).exists(),
        },
        status=status,
    )


# --- django-otp-webauthn's ceremonies, wrapped --------------------------------------------


class AddWindowClosed(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = "Confirm your password and a code first, then add the passkey."
    default_code = "confirm_first"


class RegistrationCheck:
    def check_can_register(self):
        if not _may_add_now(self.request):
            raise AddWindowClosed()


class RegistrationBegin(RegistrationCheck, webauthn_views.BeginCredentialRegistrationView):
    pass


class RegistrationComplete(RegistrationCheck, webauthn_views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            # One passkey for each confirmation; whoever was asked to add one is done.
            self.request.session.pop(ADD_UNTIL_KEY, None)
            self.request.session[PASSKEY_NEEDED_KEY] = False
            device_id = WebAuthnCredential.objects.filter(user=self.request.user).latest("pk").pk
            record_access(
                self.request,
                AccessAction.SECOND_FACTOR_ENROLLED,
                object_type="passkey",
                object_id=device_id,
            )
        return response


class NotHalfSignedIn(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = "Sign in with your email address and password first."
    default_code = "sign_in_first"


class AuthenticationCheck:
    """Someone who has given their password uses a passkey as their second factor; someone
    already signed in uses it to confirm it is them (instead of a code) before a change."""

    def check_can_authenticate(self):
        user = self.get_user()
        if user is None or not user.is_active:
            raise NotHalfSignedIn()


class AuthenticationBegin(AuthenticationCheck, webauthn_views.BeginCredentialAuthenticationView):
    pass


class AuthenticationComplete(
    AuthenticationCheck, webauthn_views.CompleteCredentialAuthenticationView
):
    """A passkey completes sign-in exactly as an authenticator code does (the same
    'second factor verified' mark, new session id, access log); a refused passkey counts
    towards the same limit as wrong codes."""

    def complete_auth(self, device):
        from alexi.views.auth import finish_second_factor

        if self.request.user.is_verified():
            self.request.session[PASSKEY_CONFIRMED_KEY] = time.time() + CONFIRM_WINDOW_SECONDS
            return
        finish_second_factor(self.request, device)

    def handle_exception(self, exc):
        from alexi.views.auth import code_failed

        refused = isinstance(exc, exceptions.OTPWebAuthnApiError) and not isinstance(
            exc, NotHalfSignedIn | exceptions.InvalidState
        )
        if refused and code_failed(self.request):
            return JsonResponse(
                {
                    "detail": "That passkey was not accepted several times, so for safety "
                    "you need to sign in again.",
                    "code": "signed_out",
                },
                status=403,
            )
        return super().handle_exception(exc)


def _second_factor_step(view):
    return second_factor_not_required(passkey_not_required(view))


registration_begin = passkey_not_required(RegistrationBegin.as_view())
registration_complete = passkey_not_required(RegistrationComplete.as_view())
authentication_begin = _second_factor_step(AuthenticationBegin.as_view())
authentication_complete = _second_factor_step(AuthenticationComplete.as_view())
# The library's words for its buttons (a script from our own origin, no inline script).
javascript_catalog = _second_factor_step(
    JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])
)
