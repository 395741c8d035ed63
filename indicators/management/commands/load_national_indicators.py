from django.core.management.base import BaseCommand, CommandError

from indicators.national import national_indicators_load


class Command(BaseCommand):
    help = "Load the 2008 National Indicator Set into the indicator register (safe to run again)."

    def handle(self, *args, **options):
        try:
            created, updated = national_indicators_load()
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"National indicators: {created} added, {updated} titles corrected."))
