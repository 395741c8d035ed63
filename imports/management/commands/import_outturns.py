"""python manage.py import_outturns FILE [--user NAME] [--dry-run] [--confirm] [--submit] [--reason TEXT]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from imports import returns
from imports.checking import describe
from imports.reading import FileProblem, read_table


class Command(BaseCommand):
    help = (
        "Import returns (outturns) from the returns template or a CSV file: every row is checked first, "
        "then all are saved in one transaction, or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--user", help="Import as this user (their rights apply). Without it: every collected indicator."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and preview only; save nothing.")
        parser.add_argument(
            "--confirm", action="store_true", help="The figures queried as unusual have been checked: they are right."
        )
        parser.add_argument(
            "--submit", action="store_true", help="Submit the complete figures (those needing commentary stay drafts)."
        )
        parser.add_argument("--reason", default="", help="Why validated figures are changed (the performance team).")

    def handle(self, *args, file, user=None, dry_run=False, confirm=False, submit=False, reason="", **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"No user is called {user}.")
        try:
            table = read_table(data, path.name, required=returns.REQUIRED, known=returns.KNOWN)
        except FileProblem as problem:
            raise CommandError(str(problem)) from None
        result = returns.check(table, by)
        for change in result.changes:
            before = f"{change['before']} -> " if change["before"] else ""
            rating = f" ({change['rag_label']})" if change["rag_label"] else ""
            self.stdout.write(
                f"Row {change['row']}: {change['code']} {change['period']}: {before}{change['after']}{rating}"
            )
            for query in change["queries"]:
                self.stdout.write(f"    Query: {query}")
            for note in change["notes"]:
                self.stdout.write(f"    {note}")
        summary = result.as_result()["summary"]
        counts = (
            f"{summary['creates']} to add, {summary['updates']} to change, {summary['unchanged']} unchanged, "
            f"{summary['skipped']} skipped"
        )
        if result.errors:
            for error in result.errors:
                self.stderr.write(describe(error))
            raise CommandError(f"{len(result.errors)} problem(s) in {path.name}: nothing has been imported.")
        if dry_run:
            self.stdout.write(f"Checked {path.name}: {counts}. Dry run: nothing has been imported.")
            return
        try:
            choices = {"confirmed": confirm, "submit": submit, "reason": reason}
            applied = returns.apply(table, by, versions=result.versions, **choices)
        except returns.ApplyRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name}: {applied['creates']} added, {applied['updates']} changed, "
                f"{applied['submitted']} submitted, {applied['needs_commentary']} drafts needing commentary."
            )
        )
