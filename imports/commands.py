"""What every import command shares: read the file, check it as its page does, print the
preview and the problems in row order, apply all or nothing; a refusal exits non-zero."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from .checking import describe
from .reading import FileProblem, read_table
from .returns import ApplyRefused
from .services import IMPORTERS, may_import


class ImportCommand(BaseCommand):
    kind = ""  # imports.models.Kind

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="Import as this user: a member of the performance team.")
        parser.add_argument("--dry-run", action="store_true", help="Check and preview only; save nothing.")

    def choices(self, options: dict) -> dict:
        """The importer's choices from the command's options."""
        return {}

    def handle(self, *args, file, user, dry_run=False, **options):
        importer = IMPORTERS[self.kind]
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        by = get_user_model().objects.filter(username=user).first()
        if by is None:
            raise CommandError(f"No user is called {user}.")
        if not may_import(by, self.kind):
            raise CommandError(f"{user} may not import this file: it is the performance team's.")
        try:
            if hasattr(importer, "read"):
                table = importer.read(data, path.name)
            else:
                table = read_table(data, path.name, required=importer.REQUIRED, known=importer.KNOWN)
        except FileProblem as problem:
            raise CommandError(str(problem)) from None
        choices = self.choices(options)
        result = importer.check(table, by, **choices)
        for change in sorted(result.changes, key=lambda change: change["row"]):
            before = f"{change['before']} -> " if change["before"] else ""
            period = f" {change['period']}" if change["period"] else ""
            self.stdout.write(f"Row {change['row']}: {change['code']}{period}: {before}{change['after']}")
        for note in result.notes:
            self.stdout.write(note)
        summary = result.as_result()["summary"]
        counts = (
            f"{summary['creates']} to add, {summary['updates']} to change, "
            + (f"{summary['removes']} to remove, " if summary["removes"] else "")
            + f"{summary['unchanged']} unchanged, {summary['skipped']} skipped"
        )
        if result.errors:
            for error in sorted(result.errors, key=lambda error: (error["row"], error["column"])):
                self.stderr.write(describe(error))
            raise CommandError(f"{len(result.errors)} problem(s) in {path.name}: nothing has been imported.")
        if dry_run:
            self.stdout.write(f"Checked {path.name}: {counts}. Dry run: nothing has been imported.")
            return
        try:
            applied = importer.apply(table, by, versions=result.versions, **choices)
        except ApplyRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name}: {applied['creates']} added, {applied['updates']} changed"
                + (f", {applied['removes']} removed." if applied.get("removes") else ".")
            )
        )
