import pytest
import time_machine

from tests.public.world import TODAY, PublicWorld


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@pytest.fixture
def world(db, today):
    return PublicWorld()
