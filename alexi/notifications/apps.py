from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "alexi.notifications"
    label = "notifications"
    verbose_name = "Notifications"
