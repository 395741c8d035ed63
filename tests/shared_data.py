"""Data built once and shared by many tests, each of which runs in its own rolled-back
savepoint inside the transaction that holds it.

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker):
        with shared(django_db_blocker):
            yield World()

The data is rolled back when the fixture's scope ends. Only for modules whose tests run in a
transaction (django_db without transaction=True): a transactional test would commit and
flush what the others share. Every test of such a module sees the shared data, also one that
does not ask for it.

The database goes back after each test, but the Python objects are shared too: a test that
changes one (a service that saves it, `indicator.is_published = True`) leaves it changed for
the next. A function-scoped fixture that hands the world to each test re-reads its objects
with `refreshed(world)`.
"""

from contextlib import contextmanager

from django.db import transaction
from django.db.models import Model


@contextmanager
def shared(django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def refreshed(world):
    """The world, each model instance among its attributes (and in their dicts, lists and
    tuples) read again from the database."""
    for value in vars(world).values():
        items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else [value]
        for item in items:
            if isinstance(item, Model):
                item.refresh_from_db()
    return world
