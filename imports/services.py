"""An import's way through: upload, check (preview or problems), apply, all or nothing."""

import logging

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils import timezone

from organisation.models import Role
from organisation.permissions import has_role, is_performance_team
from pmis.queue import enqueue_after_commit

from . import benchmarks, budget, framework, returns
from .models import ImportRun, Kind, Status
from .reading import FileProblem, read_table
from .returns import ApplyRefused

logger = logging.getLogger(__name__)
# What a person is told when checking or applying failed for a reason of PMIS's own (the
# error is logged); a database error is not caught: its task tries again.
OWN_FAULT = (
    "PMIS could not {} this file because of an error of its own, not of the file. "
    "The error has been logged; try again later or ask the performance team."
)

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


def _finish(run: ImportRun, status: str, message: str) -> ImportRun:
    run.status, run.message = status, message
    run.save(update_fields=["status", "message"])
    return run


def import_run_create(*, kind: str, user, filename: str, data: bytes) -> ImportRun:
    """Keep an uploaded file and check it in the background once it is committed."""
    if not may_import(user, kind):
        raise PermissionDenied
    run = ImportRun.objects.create(kind=kind, user=user, filename=filename[:255], data=data)
    enqueue_after_commit("imports.tasks.check_import", run.pk)
    return run


def import_run_check(*, run: ImportRun) -> ImportRun:
    """Read and check the file, recording problems or the preview; progress as it goes.

    Whatever goes wrong, the run ends checked or invalid, never left "being checked"."""
    ImportRun.objects.filter(pk=run.pk).update(status=Status.CHECKING)
    run.result = {}
    try:
        table = read(run)
        run.rows_total = len(table.rows)
        ImportRun.objects.filter(pk=run.pk).update(rows_total=run.rows_total)

        def progress(count: int) -> None:
            ImportRun.objects.filter(pk=run.pk).update(rows_checked=count)

        result = IMPORTERS[run.kind].check(table, run.user, progress=progress)
    except FileProblem as problem:
        return _finish(run, Status.INVALID, str(problem))
    except DatabaseError:
        raise
    except Exception:
        logger.exception("Checking import %s failed", run.pk)
        return _finish(run, Status.INVALID, OWN_FAULT.format("check"))
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
        return _finish(run, Status.REFUSED, str(refusal))
    except DatabaseError:
        raise
    except Exception:
        # The apply's transaction rolled back: nothing of the file was saved.
        logger.exception("Applying import %s failed", run.pk)
        return _finish(run, Status.REFUSED, OWN_FAULT.format("apply"))
    run.status, run.applied_at = Status.APPLIED, timezone.now()
    run.result = {**run.result, "applied": summary}
    run.save(update_fields=["status", "applied_at", "result"])
    return run
