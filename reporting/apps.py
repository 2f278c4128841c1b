from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self):
        from alexi import hooks
        from alexi.models import Role
        from reporting import home, views

        hooks.register_home_page(Role.HUB_MANAGER, home.hub_overview)
        hooks.register_home_page(Role.FUNDER, views.returns_list)
        hooks.register_home_page(Role.PROGRAMME_ADMIN, home.programme_overview)
