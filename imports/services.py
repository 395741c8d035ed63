"""An import's way through: upload, check (preview or problems), apply, all or nothing."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils import timezone

from organisation.models import Role
from organisation.permissions import has_role, is_performance_team
from pmis.queue import enqueue_after_commit
from risks.permissions import can_keep

from . import benchmarks, budget, framework, recommendations, returns, risks
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

IMPORTERS = {
    Kind.RETURNS: returns,
    Kind.FRAMEWORK: framework,
    Kind.BENCHMARKS: benchmarks,
    Kind.BUDGET: budget,
    Kind.RISKS: risks,
    Kind.RECOMMENDATIONS: recommendations,
}


def may_import(user, kind: str) -> bool:
    """Returns: whoever reports figures (each row is checked against what they report).
    Definitions, targets, benchmarks and budget monitoring: the performance team. Risk
    registers and recommendations: the performance team and risk and audit."""
    if kind == Kind.RETURNS:
        return has_role(user, Role.OFFICER, Role.SERVICE_MANAGER, Role.PERFORMANCE_TEAM)
    if kind in (Kind.RISKS, Kind.RECOMMENDATIONS):
        return can_keep(user)
    return is_performance_team(user)


def read(run: ImportRun):
    importer = IMPORTERS[run.kind]
    if hasattr(importer, "read"):  # a file of several layouts (benchmarks)
        return importer.read(bytes(run.data), run.filename)
    return read_table(bytes(run.data), run.filename, required=importer.REQUIRED, known=importer.KNOWN)


def options(run: ImportRun) -> dict:
    """The importer's choices given with the file (benchmarks: group) and when applying it."""
    return (run.result or {}).get("options") or {}


def _finish(run: ImportRun, status: str, message: str) -> ImportRun:
    run.status, run.message, run.status_at = status, message, timezone.now()
    run.save(update_fields=["status", "message", "status_at"])
    return run


def import_run_create(*, kind: str, user, filename: str, data: bytes, choices: dict | None = None) -> ImportRun:
    """Keep an uploaded file and check it in the background once it is committed.
    choices: the importer's, given with the file (benchmarks: the comparator group)."""
    if not may_import(user, kind):
        raise PermissionDenied
    result = {"options": choices} if choices else {}
    run = ImportRun.objects.create(kind=kind, user=user, filename=filename[:255], data=data, result=result)
    enqueue_after_commit("imports.tasks.check_import", run.pk)
    return run


def import_run_check(*, run: ImportRun) -> ImportRun:
    """Read and check the file, recording problems or the preview; progress as it goes.

    Whatever goes wrong, the run ends checked or invalid, never left "being checked"."""
    ImportRun.objects.filter(pk=run.pk).update(status=Status.CHECKING, status_at=timezone.now())
    chosen = options(run)
    run.result = {"options": chosen} if chosen else {}
    try:
        table = read(run)
        run.rows_total = len(table.rows)
        ImportRun.objects.filter(pk=run.pk).update(rows_total=run.rows_total, status_at=timezone.now())

        def progress(count: int) -> None:
            ImportRun.objects.filter(pk=run.pk).update(rows_checked=count, status_at=timezone.now())

        result = IMPORTERS[run.kind].check(table, run.user, progress=progress, **chosen)
    except FileProblem as problem:
        return _finish(run, Status.INVALID, str(problem))
    except DatabaseError:
        raise
    except Exception:
        logger.exception("Checking import %s failed", run.pk)
        return _finish(run, Status.INVALID, OWN_FAULT.format("check"))
    run.result = {**result.as_result(), **({"options": chosen} if chosen else {})}
    run.rows_checked = run.rows_total
    run.status = Status.INVALID if result.errors else Status.READY
    run.message, run.status_at = "", timezone.now()
    run.save(update_fields=["result", "rows_checked", "status", "message", "status_at"])
    return run


def import_run_apply_start(*, run: ImportRun, by, choices: dict | None = None) -> ImportRun:
    """Confirm a checked import: it is applied in the background. choices are the
    importer's for applying (returns: confirmed, submit, reason)."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.user_id != by.pk:
            raise PermissionDenied
        if run.status != Status.READY:
            raise ApplyRefused(f"This import is {run.get_status_display().lower()}; it cannot be applied now.")
        run.status, run.message, run.status_at = Status.APPLYING, "", timezone.now()
        run.result = {**run.result, "options": {**options(run), **(choices or {})}}
        run.save(update_fields=["status", "message", "status_at", "result"])
    enqueue_after_commit("imports.tasks.apply_import", run.pk)
    return run


def import_run_apply(*, run: ImportRun) -> ImportRun:
    """Apply everything in the file in one transaction, or nothing, saying why.

    The run is marked applied in the same transaction, so a worker that dies part way
    leaves nothing saved and the run still "being applied" (for the sweep); running the
    task again is safe."""
    try:
        with transaction.atomic():
            table = read(run)
            versions = run.result.get("versions", {})
            summary = IMPORTERS[run.kind].apply(table, run.user, versions=versions, **options(run))
            run.status, run.applied_at = Status.APPLIED, timezone.now()
            run.status_at = run.applied_at
            run.result = {**run.result, "applied": summary}
            run.save(update_fields=["status", "applied_at", "status_at", "result"])
    except (FileProblem, ApplyRefused) as refusal:
        return _finish(run, Status.REFUSED, str(refusal))
    except DatabaseError:
        raise
    except Exception:
        # The apply's transaction rolled back: nothing of the file was saved.
        logger.exception("Applying import %s failed", run.pk)
        return _finish(run, Status.REFUSED, OWN_FAULT.format("apply"))
    return run


STOPPED_CHECKING = (
    "Checking this file stopped before it finished (the server doing it stopped), so it has been started again."
)
STOPPED_APPLYING = (
    "Applying this file stopped before it finished (the server doing it stopped), so nothing was saved. "
    "Check the preview below and import the rows again."
)


def import_runs_sweep(*, now=None) -> int:
    """Take up runs stuck in progress: their task was lost (Redis emptied) or their worker died.

    A run queued or being checked that has not moved for PMIS_IMPORT_STUCK_SECONDS is
    checked again (checking is safe to repeat); one being applied goes back to its checked
    preview, to be applied again by its owner (an apply that did not finish saved nothing).
    Returns the number of runs taken up."""
    stale = (now or timezone.now()) - datetime.timedelta(seconds=settings.PMIS_IMPORT_STUCK_SECONDS)
    stuck = ImportRun.objects.filter(status_at__lt=stale)
    checks = list(stuck.filter(status__in=[Status.QUEUED, Status.CHECKING]).values_list("pk", flat=True))
    with transaction.atomic():
        ImportRun.objects.filter(pk__in=checks).update(
            status=Status.QUEUED, message=STOPPED_CHECKING, status_at=timezone.now()
        )
        for pk in checks:
            enqueue_after_commit("imports.tasks.check_import", pk)
        applies = stuck.filter(status=Status.APPLYING).update(
            status=Status.READY, message=STOPPED_APPLYING, status_at=timezone.now()
        )
    return len(checks) + applies
