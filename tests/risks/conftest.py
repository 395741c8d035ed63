import pytest

from risks.services import categories_ensure


@pytest.fixture(autouse=True)
def _categories(request):
    """The default risk categories, which migration risks/0002 records but a flush (the demo
    tests') removes."""
    if request.node.get_closest_marker("django_db"):
        categories_ensure()
