from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data import DEMO_PASSWORD, demo_totp_secret, load_demo


class Command(BaseCommand):
    help = "Load clearly fake demo data (idempotent). Refused unless DEMO_MODE is on."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "Demo data is only loaded with DEMO_MODE on (DEBUG and the embedded database)."
            )
        sign_ins = load_demo()
        width = max(len(email) for email, _ in sign_ins)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000"))
        self.stdout.write(f"  Password for every demo account: {DEMO_PASSWORD}")
        for email, role in sign_ins:
            self.stdout.write(f"  {email.ljust(width)}  {role}")
        self.stdout.write(
            "  Second factor: add this key to any authenticator app (time-based, 6 digits):\n"
            f"    {demo_totp_secret()}\n"
            "  or print the current code with:  make code"
        )
