import logging

from pmis.queue import repeatable_task

from . import services
from .models import ImportRun, Status

logger = logging.getLogger(__name__)


# Safe to run twice: it only records what it finds.
@repeatable_task(max_retries=5, retry_backoff_max=300)
def check_import(run_id: int) -> str:
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        logger.warning("Import %s no longer exists; nothing to check", run_id)
        return ""
    return services.import_run_check(run=run).status


# Safe to run twice: the file and the run's "applied" are saved in one transaction, and a run
# no longer being applied is left alone.
@repeatable_task(max_retries=5, retry_backoff_max=300)
def apply_import(run_id: int) -> str:
    run = ImportRun.objects.filter(pk=run_id, status=Status.APPLYING).first()
    if run is None:
        logger.warning("Import %s is not waiting to be applied", run_id)
        return ""
    return services.import_run_apply(run=run).status


# Safe to run twice: a run it took up is no longer stuck. Scheduled every few minutes.
@repeatable_task(max_retries=3)
def sweep_import_runs() -> int:
    """Take up import runs stuck in progress (imports.services.import_runs_sweep)."""
    taken = services.import_runs_sweep()
    if taken:
        logger.warning("Took up %s import runs stuck in progress", taken)
    return taken
