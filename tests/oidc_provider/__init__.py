"""The tests' real OpenID Connect provider (settings.py), run as a separate process on a free
port of this machine, and a way to sign in at it as a person would, with requests."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "pmis"
CLIENT_SECRET = "pmis-test-secret"
PASSWORD = "council-password-1"
CALLBACK = "/accounts/council/callback/"


def person(username: str, email: str, *groups: str, first_name: str = "", last_name: str = "") -> dict:
    return {
        "username": username,
        "email": email,
        "password": PASSWORD,
        "first_name": first_name,
        "last_name": last_name,
        "groups": list(groups),
    }


class Provider:
    """A running provider: its issuer URL, and its people's database."""

    def __init__(self, people: list[dict], pmis_urls: list[str]):
        self.directory = tempfile.TemporaryDirectory(prefix="oidc-provider-")
        self.database = Path(self.directory.name) / "provider.sqlite3"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.issuer = f"http://127.0.0.1:{port}/o"
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        setup = {
            "people": people,
            "client": {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [url + CALLBACK for url in pmis_urls],
                "post_logout_redirect_uris": [url + "/accounts/login/" for url in pmis_urls],
            },
        }
        environment = {
            **os.environ,
            "PROVIDER_DATABASE": str(self.database),
            "PROVIDER_ISSUER": self.issuer,
            "PROVIDER_RSA_KEY": pem,
            "PROVIDER_SETUP": json.dumps(setup),
        }
        environment.pop("DJANGO_SETTINGS_MODULE", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.serve", str(port)],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        if line.strip() != "ready":
            self.stop()
            raise RuntimeError(f"the test OpenID Connect provider did not start: {line!r}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stdout.close()
        self.directory.cleanup()

    def disable(self, username: str) -> None:
        """Switch the person's account off at the provider, as a council's IT does for a leaver."""
        with sqlite3.connect(self.database) as database:
            database.execute("UPDATE auth_user SET is_active = 0 WHERE username = ?", [username])

    def sign_in(self, authorize_url: str, username: str, session: requests.Session | None = None) -> str:
        """Follow PMIS's redirect to the provider, sign in there as the person (unless the
        session is still signed in), and return where the provider sends the browser back."""
        session = session or requests.Session()
        answer = session.get(authorize_url, allow_redirects=False, timeout=10)
        location = urljoin(authorize_url, answer.headers["Location"])
        if urlsplit(location).path == "/login/":
            session.get(location, timeout=10)
            answer = session.post(
                location,
                data={
                    "username": username,
                    "password": PASSWORD,
                    "next": parse_qs(urlsplit(location).query)["next"][0],
                    "csrfmiddlewaretoken": session.cookies["provider_csrftoken"],
                },
                allow_redirects=False,
                timeout=10,
            )
            if answer.status_code != 302:
                raise PermissionError(f"the provider did not sign {username} in")
            answer = session.get(urljoin(location, answer.headers["Location"]), allow_redirects=False, timeout=10)
            location = urljoin(location, answer.headers["Location"])
        return location
