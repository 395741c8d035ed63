"""The lock files install exactly what requirements.txt and requirements-test.txt ask for
(make lock writes them; a requirement changed without `make lock` fails here)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def pins(text: str) -> dict[str, str]:
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in PIN.findall(text)}


@pytest.mark.parametrize(
    ("requirements", "lock"),
    [
        (["requirements.txt"], "requirements.lock"),
        (["requirements.txt", "requirements-test.txt"], "requirements-test.lock"),
    ],
)
def test_every_requirement_is_locked_at_its_version_with_hashes(requirements, lock):
    wanted = {}
    for name in requirements:
        wanted.update(pins((ROOT / name).read_text()))
    text = (ROOT / lock).read_text()
    locked = pins(text)
    assert wanted and {name: locked.get(name) for name in wanted} == wanted
    # Every package in the lock carries a hash, so pip installs it with --require-hashes.
    entries = re.split(r"\n(?=[A-Za-z0-9])", text[PIN.search(text).start() :])
    assert len(entries) == len(locked) and all("--hash=sha256:" in entry for entry in entries)
