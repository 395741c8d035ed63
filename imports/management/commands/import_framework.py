"""python manage.py import_framework FILE --user NAME [--dry-run] [--remove-targets]"""

from imports.commands import ImportCommand
from imports.models import Kind


class Command(ImportCommand):
    help = (
        "Import indicator definitions, targets and aliases: every row is checked first, then all are saved in one "
        "transaction, or none."
    )
    kind = Kind.FRAMEWORK

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--remove-targets",
            action="store_true",
            help="Remove the targets of the file's indicators that it does not give (kept otherwise).",
        )

    def choices(self, options: dict) -> dict:
        return {"remove_targets": True} if options.get("remove_targets") else {}
