from django.core.management.base import BaseCommand, CommandError

from indicators import periods
from indicators.services import periods_ensure_year


class Command(BaseCommand):
    help = "Create the months, quarters and year of financial years, with their due dates (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="+", metavar="YEAR", help="Financial years, e.g. 2026/27.")

    def handle(self, *args, years, **options):
        for text in years:
            try:
                frequency, year, _ = periods.parse_label(text)
            except ValueError as error:
                raise CommandError(str(error)) from None
            if frequency != periods.YEAR:
                raise CommandError(f"{text!r} is not a financial year: write it as 2026/27")
            periods_ensure_year(year=year)
            self.stdout.write(f"Periods of {periods.year_label(year)} are in place.")
