from django.apps import AppConfig


class AlexiConfig(AppConfig):
    name = "alexi"
    verbose_name = "Programme"

    def ready(self):
        from alexi import (
            audit,  # noqa: F401  (connects the authentication signal receivers)
            hooks,
            worklist,
        )

        hooks.register_task_source(worklist.access_requests)
