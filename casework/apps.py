from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"

    def ready(self):
        from alexi import hooks
        from alexi.models import Role
        from casework import selectors, services, views, worklist

        hooks.register_home_page(Role.SPOKE_WORKER, views.caseload)
        hooks.register_open_case_counter(selectors.open_cases_count)
        hooks.register_access_ender(services.shares_end_for_person)
        hooks.register_task_source(worklist.case_tasks)
        from casework import notifications

        hooks.register_notification_targets("case", notifications.case_targets)
        hooks.register_calendar_source(notifications.calendar_entries)
