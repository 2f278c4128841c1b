from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("programme/import/", views.imports, name="imports"),
    path("programme/import/<int:job_id>/", views.job, name="import_job"),
    path("programme/import/<int:job_id>/confirm/", views.confirm, name="import_confirm"),
    path("programme/import/<int:job_id>/discard/", views.discard, name="import_discard"),
    path("programme/import/<int:job_id>/problems.csv", views.problems_csv, name="import_problems"),
]
