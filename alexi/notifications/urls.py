from django.urls import path

from alexi.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notifications, name="list"),
    path("notifications/read/", views.read_all, name="read_all"),
    path("notifications/<int:notification_id>/open/", views.notification_open, name="open"),
    path("notifications/bell/", views.bell, name="bell"),
    path("account/email-summary/", views.digest, name="digest"),
    path("account/calendar/", views.calendar_feed, name="calendar_feed"),
    path("calendar/<str:token>/alexi.ics", views.calendar_ics, name="calendar"),
]
