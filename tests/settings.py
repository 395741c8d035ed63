"""Settings for the test suite: the project's settings with a fast password hasher.

Celery tasks run in-process unless a test is marked integration (tests/conftest.py).
"""

from pmis.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
