from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path, reverse_lazy
from django.views.generic import RedirectView

from alexi.admin import site as admin_site
from alexi.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from alexi.views import auth, grants, home, people, structure, tasks

handler400 = "alexi.views.errors.bad_request"
handler403 = "alexi.views.errors.permission_denied"
handler404 = "alexi.views.errors.page_not_found"
handler500 = "alexi.views.errors.server_error"

alexi_patterns = [
    path("", home.home, name="home"),
    path("healthz", home.healthz, name="healthz"),
    path("sign-in/", auth.sign_in, name="sign_in"),
    path("sign-in/code/", auth.second_factor, name="second_factor"),
    path("sign-in/set-up/", auth.second_factor_setup, name="second_factor_setup"),
    path("sign-out/", auth.sign_out, name="sign_out"),
    path("invitation/set-password/", auth.invitation_password, name="invitation_password"),
    path("invitation/<str:token>/", auth.invitation, name="invitation_accept"),
    path("account/", home.account, name="account"),
    path("tasks/", tasks.tasks, name="tasks"),
    path("tasks/count/", tasks.tasks_count, name="tasks_count"),
    path("tasks/panel/", tasks.tasks_panel, name="tasks_panel"),
    path("account/recovery-codes/", auth.recovery_codes_new, name="recovery_codes_new"),
    path(
        "account/password/",
        auth.LoggedPasswordChangeView.as_view(
            template_name="auth/password_change.html",
            form_class=PasswordChangeForm,
            success_url="/account/password/done/",
            extra_context={"title": "Change your password"},
        ),
        name="password_change",
    ),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="auth/password_change_done.html",
            extra_context={"title": "Password changed"},
        ),
        name="password_change_done",
    ),
    path(
        "password-reset/",
        auth.PasswordResetView.as_view(
            template_name="auth/password_reset.html",
            success_url=reverse_lazy("alexi:password_reset_done"),
            form_class=PasswordResetForm,
            email_template_name="auth/password_reset_email.txt",
            subject_template_name="auth/password_reset_subject.txt",
            extra_context={"title": "Reset your password"},
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="auth/password_reset_done.html",
            extra_context={"title": "Check your email"},
        ),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth.LoggedPasswordResetConfirmView.as_view(
            template_name="auth/password_reset_confirm.html",
            success_url=reverse_lazy("alexi:password_reset_complete"),
            form_class=SetPasswordForm,
            extra_context={"title": "Choose a new password"},
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="auth/password_reset_complete.html",
            extra_context={"title": "Password changed"},
        ),
        name="password_reset_complete",
    ),
    path("programme/people/", people.people, name="people"),
    path("programme/people/invite/", people.invite, name="person_invite"),
    path("programme/people/<int:user_id>/", people.person, name="person"),
    re_path(
        r"^programme/people/(?P<user_id>[0-9]+)/(?P<action>deactivate|reactivate|reinvite|reset-second-factor)/$",
        people.person_action,
        name="person_action",
    ),
    path("programme/sign-in-log/", people.sign_in_log, name="sign_in_log"),
    path("access-requests/", grants.access_requests, name="access_requests"),
    re_path(
        r"^access-requests/(?P<grant_id>[0-9]+)/(?P<decision>confirm|refuse)/$",
        grants.access_request_decide,
        name="access_request_decide",
    ),
    path("programme/structure/", structure.structure_index, name="structure"),
    re_path(
        r"^programme/structure/(?P<kind>hubs|spokes|funders|la-areas|workers)/$",
        structure.structure_list,
        name="structure_list",
    ),
    re_path(
        r"^programme/structure/(?P<kind>hubs|spokes|funders|la-areas)/new/$",
        structure.structure_edit,
        name="structure_new",
    ),
    re_path(
        r"^programme/structure/(?P<kind>hubs|spokes|funders|la-areas|workers)/(?P<pk>[0-9]+)/$",
        structure.structure_edit,
        name="structure_edit",
    ),
    path("programme/structure/spokes/<int:pk>/end/", structure.spoke_end, name="spoke_end"),
    path("programme/structure/workers/<int:pk>/move/", structure.worker_move, name="worker_move"),
    path(
        "programme/structure/hubs/<int:pk>/ask-for-a-manager/",
        structure.hub_manager_request,
        name="hub_manager_request",
    ),
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="alexi:sign_in", query_string=True)),
        name="admin_sign_in",
    ),
]

# Each app's pages are in its own namespace ({% url 'alexi:home' %}, 'casework:case', ...). The
# passkey pages are not: their ceremonies are django-otp-webauthn's own 'otp_webauthn' namespace.
urlpatterns = [
    path("", include((alexi_patterns, "alexi"))),
    path("admin/", admin_site.urls),
    path("", include("alexi.passkeys.urls")),
    path("", include("alexi.notifications.urls")),
    path("", include("imports.urls")),
    path("", include("casework.urls")),
    path("", include("referrals.urls")),
    path("", include("training.urls")),
    path("", include("reporting.urls")),
]
