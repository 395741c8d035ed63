import pytest
from django.db import transaction


@pytest.fixture(autouse=True)
def _on_commit_at_once(monkeypatch):
    """Tests run in a transaction that never commits: run on_commit work (the import's
    Celery tasks, eager in tests) at once, as it runs after the upload's commit."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
