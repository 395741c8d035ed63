import datetime

import pytest

# 2025/26 has ended and all its returns are due; April 2026's are not due until 22 May.
NOW = datetime.datetime(2026, 5, 20, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(NOW, tick=False)
