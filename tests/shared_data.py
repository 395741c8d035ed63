"""Data built once and shared by many tests, each of which runs in its own rolled-back
savepoint inside the transaction that holds it.

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker):
        with shared(django_db_blocker):
            yield World()

The data is rolled back when the fixture's scope ends. Only for modules whose tests run in a
transaction (django_db without transaction=True): a transactional test would commit and
flush what the others share.
"""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def shared(django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
