from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Clearly fake demo data and its commands (load_demo, demo_code), outside the core so the
    core imports no domain app. Loading is allowed only in DEMO_MODE (README)."""

    name = "demo"
    verbose_name = "Demo data"
