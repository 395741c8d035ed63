import datetime

from django.core.management.base import BaseCommand, CommandError

from demo.catalogue import COUNCIL_NAME
from demo.loader import demo_council_load, demo_loaded, demo_sign_in_text


class Command(BaseCommand):
    help = (
        "Build the demo council with three financial years of figures (does nothing if it is already loaded), "
        "then print the sign-in accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Build the figures as they would stand on this date (YYYY-MM-DD); default: today.",
        )
        parser.add_argument(
            "--no-accounts",
            dest="accounts",
            action="store_false",
            help="Do not print the sign-in accounts (rundemo prints them once the server is listening).",
        )

    def handle(self, *args, today=None, accounts=True, **options):
        if demo_loaded():
            self.stdout.write(f"The demo council ({COUNCIL_NAME}) is already loaded.")
        else:
            today = today or datetime.date.today()
            self.stdout.write(f"Loading {COUNCIL_NAME} as at {today:%d %B %Y}...")
            try:
                summary = demo_council_load(today=today)
            except ValueError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {COUNCIL_NAME}: {summary.indicators} indicators, "
                    f"{summary.targets} targets, {summary.outturns} outturns."
                )
            )
        if accounts:
            self.stdout.write("\n" + demo_sign_in_text("http://127.0.0.1:8000/"))
