"""Settings for the test suite: the project's settings with a fast password hasher.

Celery tasks run in-process unless a test is marked integration (tests/conftest.py).
"""

from pmis.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Every request reads the published data's version, so a test sees its own changes at once.
PMIS_PUBLIC_VERSION_SECONDS = 0
