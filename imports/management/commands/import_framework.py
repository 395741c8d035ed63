"""python manage.py import_framework FILE --user NAME [--dry-run]"""

from imports.commands import ImportCommand
from imports.models import Kind


class Command(ImportCommand):
    help = (
        "Import indicator definitions, targets and aliases: every row is checked first, then all are saved in one "
        "transaction, or none."
    )
    kind = Kind.FRAMEWORK
