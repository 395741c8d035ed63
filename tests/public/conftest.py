import pytest
import time_machine

from tests.public.world import TODAY, PublicWorld
from tests.shared_data import refreshed, shared


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@pytest.fixture(scope="module")
def _public_world(django_db_setup, django_db_blocker):
    """The public world, built once for each module (on the same day as its tests)."""
    with shared(django_db_blocker):
        with time_machine.travel(TODAY, tick=False):
            world = PublicWorld()
        yield world


@pytest.fixture
def world(db, today, _public_world):
    return refreshed(_public_world)
