from django.urls import include, path

from alexi.passkeys import views

# django-otp-webauthn's script and template tags find these by the names it gives them.
ceremonies = [
    path("registration/begin/", views.registration_begin, name="credential-registration-begin"),
    path(
        "registration/complete/",
        views.registration_complete,
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        views.authentication_begin,
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        views.authentication_complete,
        name="credential-authentication-complete",
    ),
    path("jsi18n/", views.javascript_catalog, name="js-i18n-catalog"),
]

urlpatterns = [
    path("account/passkeys/", views.passkeys, name="passkeys"),
    path("account/passkeys/add/", views.passkey_add, name="passkey_add"),
    path("account/passkeys/add/create/", views.passkey_create, name="passkey_create"),
    path(
        "account/passkeys/<int:passkey_id>/name/",
        views.passkey_rename_view,
        name="passkey_rename",
    ),
    path(
        "account/passkeys/<int:passkey_id>/remove/",
        views.passkey_remove_view,
        name="passkey_remove",
    ),
    path(
        "programme/sign-in-settings/passkeys/",
        views.passkey_requirement,
        name="passkey_requirement",
    ),
    path("passkeys/", include((ceremonies, "otp_webauthn"))),
]
