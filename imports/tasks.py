import logging

from celery import shared_task
from django.db import DatabaseError

from . import services
from .models import ImportRun, Status

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, retry_backoff_max=300, max_retries=5)
def check_import(run_id: int) -> str:
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        logger.warning("Import %s no longer exists; nothing to check", run_id)
        return ""
    return services.import_run_check(run=run).status


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, retry_backoff_max=300, max_retries=5)
def apply_import(run_id: int) -> str:
    run = ImportRun.objects.filter(pk=run_id, status=Status.APPLYING).first()
    if run is None:
        logger.warning("Import %s is not waiting to be applied", run_id)
        return ""
    return services.import_run_apply(run=run).status
