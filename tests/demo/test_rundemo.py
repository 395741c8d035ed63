from io import StringIO

from demo.catalogue import PEOPLE
from demo.loader import DEMO_PASSWORD
from demo.management.commands.rundemo import Command


def test_the_accounts_and_the_address_are_printed_last_once_the_server_listens():
    out = StringIO()
    command = Command(stdout=out)
    command.addr, command._raw_ipv6, command.protocol = "127.0.0.1", False, "http"

    command.on_bind(8001)

    lines = out.getvalue().rstrip().splitlines()
    sign_in = next(i for i, line in enumerate(lines) if line.startswith("Sign in at"))
    assert lines[sign_in] == f"Sign in at http://127.0.0.1:8001/ as any of these (password for all: {DEMO_PASSWORD}):"
    # After it, one line per role and nothing else: Django's banner and warning come before.
    roles = {role for _username, _first, _last, role, _where in PEOPLE}
    assert len(lines) - sign_in - 1 == len(roles)
    assert "Starting WSGI development server at http://127.0.0.1:8001/" in lines[:sign_in]
