"""Invite someone from the command line (for the first programme administrator, or when email
is not set up yet): prints the single-use link as well as emailing it."""

from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from alexi.models import Role, User
from alexi.services import invitation_issue, user_invite


class Command(BaseCommand):
    help = "Invite a programme administrator (or re-invite anyone) and print the link."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="Full name (needed for a new person)")

    @transaction.atomic
    def handle(self, *args, email: str, name: str, **options):
        email = email.strip().lower()
        try:
            validate_email(email)
        except Exception as error:
            raise CommandError(f"'{email}' is not an email address.") from error
        user = User.objects.filter(email=email).first()
        if user is None:
            if not name.strip():
                raise CommandError("Give the new person's full name with --name.")
            user, token = user_invite(
                actor=None, email=email, full_name=name.strip(), role=Role.PROGRAMME_ADMIN
            )
        else:
            if not user.is_active:
                raise CommandError("This account is deactivated. Reactivate it first.")
            token = invitation_issue(actor=None, user=user)
        from django.conf import settings
        from django.urls import reverse

        link = settings.SITE_URL.rstrip("/") + reverse("alexi:invitation_accept", args=[token])
        self.stdout.write(f"Invitation for {user.email} ({user.get_role_display()}):\n{link}")
        self.stdout.write("It works once. Send it to them privately; it was also emailed.")
