from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    label = "imports"
    verbose_name = "Imports"

    def ready(self):
        from alexi import hooks
        from imports import notifications

        hooks.register_notification_targets("import", notifications.import_targets)
