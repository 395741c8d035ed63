"""Run the tests' OpenID Connect provider: python -m tests.oidc_provider.serve PORT, with the
environment of settings.py and PROVIDER_SETUP, a JSON object of its people and its one client:
{"people": [{"username", "password", "email", "first_name", "last_name", "groups"}],
 "client": {"client_id", "client_secret", "redirect_uris", "post_logout_redirect_uris"}}.
Prints "ready" once it answers."""

import json
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"


class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def set_up(setup: dict) -> None:
    from django.contrib.auth.models import Group, User
    from oauth2_provider.models import Application

    for person in setup["people"]:
        user = User.objects.create_user(
            person["username"],
            email=person["email"],
            password=person["password"],
            first_name=person.get("first_name", ""),
            last_name=person.get("last_name", ""),
        )
        for name in person.get("groups", []):
            user.groups.add(Group.objects.get_or_create(name=name)[0])
    client = setup["client"]
    Application.objects.create(
        name="PMIS",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(client["redirect_uris"]),
        post_logout_redirect_uris=" ".join(client["post_logout_redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


def main(port: int) -> None:
    import django
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0)
    set_up(json.loads(os.environ["PROVIDER_SETUP"]))
    server = make_server("127.0.0.1", port, get_wsgi_application(), server_class=Server, handler_class=QuietHandler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]))
