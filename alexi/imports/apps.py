from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "alexi.imports"
    label = "imports"
    verbose_name = "Imports"
