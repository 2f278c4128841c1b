from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "alexi.submissions"
    label = "submissions"
    verbose_name = "Form submissions"
