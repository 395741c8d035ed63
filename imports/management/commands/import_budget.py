"""python manage.py import_budget FILE --user NAME [--dry-run]"""

from imports.commands import ImportCommand
from imports.models import Kind


class Command(ImportCommand):
    help = (
        "Import budget monitoring (each service's budget, forecast outturn and savings for a quarter): every row is "
        "checked first, then all are saved in one transaction, or none."
    )
    kind = Kind.BUDGET
