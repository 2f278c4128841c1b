from django.apps import AppConfig


class PasskeysConfig(AppConfig):
    name = "alexi.passkeys"
    label = "passkeys"
    verbose_name = "Passkeys"
