from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("activities/", views.activities, name="activities"),
    path("activities/training/new/", views.training_form, name="training_new"),
    path("activities/training/<int:event_id>/", views.training_form, name="training_edit"),
    path("activities/groupwork/new/", views.groupwork_form, name="groupwork_new"),
    path("activities/groupwork/<int:groupwork_id>/", views.groupwork_form, name="groupwork_edit"),
    path("activities/consultations/new/", views.consultation_form, name="consultation_new"),
    path(
        "activities/consultations/<int:consultation_id>/",
        views.consultation_form,
        name="consultation_edit",
    ),
]
