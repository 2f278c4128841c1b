"""Programme administrators invite, deactivate and look after people's accounts."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alexi.access import require_role
from alexi.audit import record_access
from alexi.forms import ConfirmItIsYouForm, InviteForm
from alexi.grants import grants_waiting_for
from alexi.models import AccessAction, Invitation, Role, User
from alexi.passkeys.services import user_passkeys
from alexi.selectors import people_list, person_has_second_factor, sign_in_events
from alexi.services import (
    invitation_issue,
    second_factor_reset,
    user_deactivate,
    user_invite,
    user_reactivate,
)
from alexi.submissions.once import once_only

admin_only = require_role(Role.PROGRAMME_ADMIN)


@admin_only
@require_GET
def people(request):
    page = Paginator(people_list(), 50).get_page(request.GET.get("page"))
    return render(request, "people/list.html", {"title": "People", "page": page})


@admin_only
@require_http_methods(["GET", "POST"])
@once_only(what="the invitation")
def invite(request):
    """Invite someone. Inviting a programme administrator also needs the inviting
    administrator's password and second factor again (the same check as before a sign-in
    change): the session alone cannot make another administrator."""
    from alexi.views.auth import confirm_form, confirm_it_is_you

    form = InviteForm(request.POST if request.method == "POST" else None)
    confirm = confirm_form(request)
    status = 200
    if request.method == "POST":
        confirmed = None
        # Checked only once the rest is right and it is an administrator: a missing name
        # does not cost a password attempt, and other invitations ask nothing more.
        if form.is_valid() and form.cleaned_data["role"] == Role.PROGRAMME_ADMIN:
            confirmed = confirm_it_is_you(request, confirm)
            if confirmed is not True and confirmed is not False:
                confirmed.nothing_saved = True  # the session had to end; the form was not used
                return confirmed
        if form.is_valid() and confirmed is not False:
            data = form.cleaned_data
            user, _token = user_invite(
                actor=request.user,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                hubs=list(data["hubs"]),
                spoke=data["spoke"],
                funder=data["funder"],
                fte=data["fte"],
                background=data["background"],
                qualifications=data["qualifications"],
                years_experience=data["years_experience"],
                request=request,
                identity_confirmed=confirmed is True,
            )
            record_access(request, AccessAction.INVITATION_SENT, obj=user)
            if data["role"] in (Role.HUB_MANAGER, Role.SPOKE_WORKER):
                messages.success(
                    request,
                    f"Invitation sent to {user.email}. They can reach no young person's records "
                    "until a manager of the hub confirms their access (for a hub with no "
                    "manager, another programme administrator).",
                )
            elif data["role"] == Role.PROGRAMME_ADMIN:
                messages.success(
                    request,
                    f"Invitation sent to {user.email}. Every programme administrator has been "
                    "emailed that a new administrator was invited.",
                )
            else:
                messages.success(request, f"Invitation sent to {user.email}.")
            return redirect("alexi:person", user_id=user.pk)
        status = 400
        if confirmed is None:  # not asked this time: shown empty, without errors
            confirm = ConfirmItIsYouForm(
                passkey_confirmed=confirm.passkey_confirmed, passkey_only=confirm.passkey_only
            )
    return render(
        request,
        "people/invite.html",
        {
            "title": "Invite someone",
            "form": form,
            "confirm": confirm,
            "has_passkeys": user_passkeys(request.user).exists(),
        },
        status=status,
    )


def _person(user_id: int) -> User:
    return get_object_or_404(
        User.objects.select_related("funder", "worker_profile__spoke__hub"), pk=user_id
    )


def _asks_confirmation(subject: User) -> bool:
    """Reactivating a programme administrator gives back every administrator right at once,
    so it asks the acting administrator to confirm it is them, as inviting one does."""
    return not subject.is_active and subject.role == Role.PROGRAMME_ADMIN


def _person_page(request, subject: User, *, confirm=None, status: int = 200):
    from alexi.views.auth import confirm_form

    invitation = Invitation.objects.filter(user=subject).first()
    if _asks_confirmation(subject) and confirm is None:
        confirm = confirm_form(request)
    return render(
        request,
        "people/detail.html",
        {
            "title": subject.full_name,
            "subject": subject,
            "invitation": invitation,
            "has_second_factor": person_has_second_factor(subject),
            "managed": subject.hub_managements.select_related("hub"),
            "waiting": grants_waiting_for(subject),
            "confirm": confirm,
            "has_passkeys": confirm is not None and user_passkeys(request.user).exists(),
            "confirm_next": reverse("alexi:person", args=[subject.pk]),
        },
        status=status,
    )


@admin_only
@require_GET
def person(request, user_id: int):
    subject = _person(user_id)
    record_access(request, AccessAction.VIEW, obj=subject)
    return _person_page(request, subject)


@admin_only
@require_POST
def person_action(request, user_id: int, action: str):
    subject = _person(user_id)
    if action == "deactivate":
        if subject == request.user:
            messages.error(request, "You cannot deactivate your own account.")
            return redirect("alexi:person", user_id=subject.pk)
        if not subject.is_active:  # sent twice: the first one did it
            messages.info(request, f"{subject.full_name} already cannot sign in: nothing changed.")
            return redirect("alexi:person", user_id=subject.pk)
        ended = user_deactivate(actor=request.user, user=subject, request=request)
        messages.success(
            request, f"{subject.full_name} can no longer sign in. {ended} session(s) ended."
        )
    elif action == "reactivate":
        if subject.is_active:  # sent twice (Back, a double click): the first one did it
            messages.info(request, f"{subject.full_name} can already sign in: nothing changed.")
            return redirect("alexi:person", user_id=subject.pk)
        confirmed = None
        if subject.role == Role.PROGRAMME_ADMIN:
            from alexi.views.auth import confirm_form, confirm_it_is_you

            confirm = confirm_form(request)
            confirmed = confirm_it_is_you(request, confirm)
            if confirmed is False:  # nothing changed; the page says what to put right
                return _person_page(request, subject, confirm=confirm, status=400)
            if confirmed is not True:
                return confirmed  # the session had to end
        asked = user_reactivate(
            actor=request.user,
            user=subject,
            request=request,
            identity_confirmed=confirmed is True,
        )
        record_access(request, AccessAction.ACCOUNT_REACTIVATED, obj=subject)
        waiting = (
            " Their access to "
            + ", ".join(sorted({grant.hub.name for grant in asked}))
            + " waits for the hub to confirm it."
            if asked
            else ""
        )
        told = (
            " Every programme administrator has been emailed that the account was reactivated."
            if subject.role == Role.PROGRAMME_ADMIN
            else ""
        )
        messages.success(request, f"{subject.full_name} can sign in again.{waiting}{told}")
    elif action == "reinvite":
        if not subject.is_active:
            messages.error(request, "Reactivate the account before sending a new invitation.")
            return redirect("alexi:person", user_id=subject.pk)
        invitation_issue(actor=request.user, user=subject)
        record_access(request, AccessAction.INVITATION_SENT, obj=subject)
        messages.success(request, f"A new invitation was sent to {subject.email}.")
    else:  # "reset-second-factor": the URL pattern admits only these four actions
        second_factor_reset(actor=request.user, user=subject, request=request)
        messages.success(
            request,
            f"{subject.full_name}'s second factor was removed and they were signed out. "
            "They have been sent a new invitation to choose a password and set up again.",
        )
    return redirect("alexi:person", user_id=subject.pk)


@admin_only
@require_GET
def sign_in_log(request):
    page = Paginator(sign_in_events(), 100).get_page(request.GET.get("page"))
    return render(request, "people/sign_in_log.html", {"title": "Sign-in log", "page": page})
