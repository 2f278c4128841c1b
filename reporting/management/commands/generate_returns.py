"""Make the quarterly returns from the command line (the same code Celery beat runs)."""

from django.core.management.base import BaseCommand, CommandError

from reporting.returns import ended_quarter, generate_quarter


class Command(BaseCommand):
    help = (
        "Generate one return per funder and per hub for a quarter that has ended, "
        "e.g. --quarter 2026Q3."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True)
        parser.add_argument(
            "--regenerate", action="store_true", help="make new versions (the old ones stay)"
        )

    def handle(self, *args, quarter: str, regenerate: bool, **options):
        try:
            ended_quarter(quarter)  # not a quarter, or one that has not ended: nothing is made
        except ValueError as error:
            raise CommandError(str(error)) from error
        for line in generate_quarter(quarter, regenerate=regenerate):
            self.stdout.write(line)
