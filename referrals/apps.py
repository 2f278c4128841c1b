from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self):
        from alexi import hooks
        from referrals import worklist

        hooks.register_task_source(worklist.referral_tasks)
