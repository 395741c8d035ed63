"""An import's way through: upload, check (preview or problems), apply, all or nothing."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from organisation.models import Role
from organisation.permissions import has_role, is_performance_team
from pmis.queue import enqueue_after_commit

from . import benchmarks, budget, framework, returns
from .models import ImportRun, Kind, Status
from .reading import FileProblem, read_table
from .returns import ApplyRefused

IMPORTERS = {Kind.RETURNS: returns, Kind.FRAMEWORK: framework, Kind.BENCHMARKS: benchmarks, Kind.BUDGET: budget}


def may_import(user, kind: str) -> bool:
    """Returns: whoever reports figures (each row is checked against what they report).
    Definitions, targets, benchmarks and budget monitoring: the performance team."""
    if kind == Kind.RETURNS:
        return has_role(user, Role.OFFICER, Role.SERVICE_MANAGER, Role.PERFORMANCE_TEAM)
    return is_performance_team(user)


def read(run: ImportRun):
    importer = IMPORTERS[run.kind]
    return read_table(bytes(run.data), run.filename, required=importer.REQUIRED, known=importer.KNOWN)


def import_run_create(*, kind: str, user, filename: str, data: bytes) -> ImportRun:
    """Keep an uploaded file and check it in the background once it is committed."""
    if not may_import(user, kind):
        raise PermissionDenied
    run = ImportRun.objects.create(kind=kind, user=user, filename=filename[:255], data=data)
    enqueue_after_commit("imports.tasks.check_import", run.pk)
    return run


def import_run_check(*, run: ImportRun) -> ImportRun:
    """Read and check the file, recording problems or the preview; progress as it goes."""
    ImportRun.objects.filter(pk=run.pk).update(status=Status.CHECKING)
    try:
        table = read(run)
    except FileProblem as problem:
        run.status, run.message, run.result = Status.INVALID, str(problem), {}
        run.save(update_fields=["status", "message", "result"])
        return run
    run.rows_total = len(table.rows)
    ImportRun.objects.filter(pk=run.pk).update(rows_total=run.rows_total)

    def progress(count: int) -> None:
        ImportRun.objects.filter(pk=run.pk).update(rows_checked=count)

    result = IMPORTERS[run.kind].check(table, run.user, progress=progress)
    run.result = result.as_result()
    run.rows_checked = run.rows_total
    run.status = Status.INVALID if result.errors else Status.READY
    run.message = ""
    run.save(update_fields=["result", "rows_checked", "status", "message"])
    return run


def import_run_apply_start(*, run: ImportRun, by) -> ImportRun:
    """Confirm a checked import: it is applied in the background."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.user_id != by.pk:
            raise PermissionDenied
        if run.status != Status.READY:
            raise ApplyRefused(f"This import is {run.get_status_display().lower()}; it cannot be applied now.")
        run.status = Status.APPLYING
        run.save(update_fields=["status"])
    enqueue_after_commit("imports.tasks.apply_import", run.pk)
    return run


def import_run_apply(*, run: ImportRun) -> ImportRun:
    """Apply everything in the file in one transaction, or nothing, saying why."""
    try:
        table = read(run)
        summary = IMPORTERS[run.kind].apply(table, run.user, versions=run.result.get("versions", {}))
    except (FileProblem, ApplyRefused) as refusal:
        run.status, run.message = Status.REFUSED, str(refusal)
        run.save(update_fields=["status", "message"])
        return run
    run.status, run.applied_at = Status.APPLIED, timezone.now()
    run.result = {**run.result, "applied": summary}
    run.save(update_fields=["status", "applied_at", "result"])
    return run
