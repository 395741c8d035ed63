from django.core.management.base import BaseCommand, CommandError

from indicators.models import Period
from indicators.ratings import ratings_recalculate


class Command(BaseCommand):
    help = "Re-rate stored outturns against their targets and the tolerance in force."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="from_period",
            metavar="PERIOD",
            help='Re-rate periods starting on or after this one, e.g. "2025/26 Q1" (default: all periods).',
        )

    def handle(self, *args, from_period=None, **options):
        since = None
        if from_period:
            try:
                since = Period.objects.get_by_label(from_period).start
            except ValueError as error:
                raise CommandError(str(error)) from None
            except Period.DoesNotExist:
                raise CommandError(f"There is no period {from_period!r} yet.") from None
        written = ratings_recalculate(since=since)
        self.stdout.write(self.style.SUCCESS(f"Re-rated {written} outturns."))
