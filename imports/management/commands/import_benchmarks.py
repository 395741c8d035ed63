"""python manage.py import_benchmarks FILE --user NAME [--group NAME] [--dry-run]"""

from imports.commands import ImportCommand
from imports.models import Kind


class Command(ImportCommand):
    help = (
        "Import benchmarks (other councils' figures), one value a row or one row per area: every value is checked "
        "first, then all are saved in one transaction, or none."
    )
    kind = Kind.BENCHMARKS

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--group", default="", help="The comparator group of rows without a group column (All districts)."
        )

    def choices(self, options: dict) -> dict:
        return {"group": options["group"]} if options.get("group") else {}
