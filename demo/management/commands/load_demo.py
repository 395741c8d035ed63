import datetime

from django.core.management.base import BaseCommand, CommandError

from demo.catalogue import COUNCIL_NAME
from demo.loader import DEMO_PASSWORD, demo_council_load, demo_loaded


class Command(BaseCommand):
    help = "Build the demo council with three financial years of figures (does nothing if it is already loaded)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Build the figures as they would stand on this date (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args, today=None, **options):
        if demo_loaded():
            self.stdout.write(f"The demo council ({COUNCIL_NAME}) is already loaded.")
        else:
            today = today or datetime.date.today()
            try:
                summary = demo_council_load(today=today)
            except ValueError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {COUNCIL_NAME} as at {today:%d %B %Y}: {summary.indicators} indicators, "
                    f"{summary.targets} targets, {summary.outturns} outturns."
                )
            )
        self.print_accounts()

    def print_accounts(self):
        from demo.catalogue import PEOPLE
        from organisation.models import Role

        self.stdout.write(f"\nSign in at http://127.0.0.1:8000/ as any of these (password for all: {DEMO_PASSWORD}):")
        seen = set()
        for username, first, last, role, _where in PEOPLE:
            if role in seen:
                continue
            seen.add(role)
            note = "  (also the administration pages)" if role == Role.PERFORMANCE_TEAM else ""
            self.stdout.write(f"  {Role(role).label:<22} {username:<24} {first} {last}{note}")
