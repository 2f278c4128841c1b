from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("referrals/", views.queue, name="referral_queue"),
    path("referrals/new/", views.intake, name="referral_new"),
    path("referrals/recorded/", views.recorded, name="referral_recorded"),
    path("referrals/<int:referral_id>/", views.detail, name="referral"),
    path("referrals/<int:referral_id>/decide/", views.decide, name="referral_decide"),
]
