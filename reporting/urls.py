from django.urls import path, re_path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("returns/", views.returns, name="returns"),
    path("returns/generate/", views.generate, name="returns_generate"),
    re_path(
        r"^returns/(?P<return_id>[0-9]+)/(?P<fmt>json|csv|xlsx|pdf)/$",
        views.download,
        name="return_download",
    ),
]
