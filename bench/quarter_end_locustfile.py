"""Locust users for bench/quarter_end.py (which prepares the accounts and starts everything).

Officers sign in, open My returns, then for each of their returns in turn: open the entry
page, save and submit a figure with commentary in one step, and check the page then says
"Submitted". Managers (chief officers) sign in and read the Council
Scorecard, a portfolio scorecard and the exception report.

Reads PMIS_LOAD_ACCOUNTS (the JSON quarter_end.py writes) and writes every return a page
confirmed as submitted, and the request figures, to PMIS_LOAD_RESULTS when the run ends.
"""

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(Path(os.environ["PMIS_LOAD_ACCOUNTS"]).read_text())
officer_numbers = itertools.count()
manager_numbers = itertools.count()
confirmed: list[dict] = []
ENVIRONMENT = None

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d*)"')


class Staff(HttpUser):
    abstract = True

    def on_start(self):
        # The servers sit behind a TLS-terminating proxy in production: say the visitor used
        # HTTPS (else they redirect), and send the secure cookies over this plain connection.
        self.client.headers["X-Forwarded-Proto"] = "https"
        page = self.get("/accounts/login/", name="sign in page")
        self.post(
            "/accounts/login/",
            {"username": self.account, "password": ACCOUNTS["password"], "csrfmiddlewaretoken": csrf(page)},
            name="sign in",
            expect=302,
        )

    def _send_cookies(self):
        for cookie in self.client.cookies:
            cookie.secure = False

    def get(self, path: str, *, name: str) -> str:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
        self._send_cookies()
        return response.text

    def post(self, path: str, data: dict, *, name: str, expect: int) -> bool:
        headers = {"Referer": f"https://{self.host.split('://', 1)[1]}{path}"}
        with self.client.post(
            path, data, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            ok = response.status_code == expect
            if not ok:
                response.failure(f"{response.status_code}")
        self._send_cookies()
        return ok


def csrf(page: str) -> str:
    found = CSRF.search(page)
    return found.group(1) if found else ""


class Officer(Staff):
    fixed_count = int(os.environ.get("PMIS_LOAD_OFFICERS", "100"))
    wait_time = between(1, 4)  # reading the page, typing a figure and its commentary

    def on_start(self):
        officer = ACCOUNTS["officers"][next(officer_numbers)]
        self.account = officer["username"]
        self.returns = list(officer["returns"])
        super().on_start()

    @task
    def enter_and_submit_a_return(self):
        self.get("/returns/", name="my returns")
        if not self.returns:
            return
        indicator_id, period_id, target = self.returns.pop(0)
        entry = f"/returns/{indicator_id}/{period_id}/"
        page = self.get(entry, name="entry page")
        value = f"{target * random.uniform(0.85, 1.1):.1f}"
        version = VERSION.search(page)
        submitted = self.post(
            entry,
            {
                "value": value,
                "commentary": "Figures checked against the case management system; one team short-staffed.",
                "version": version.group(1) if version else "",
                "action": "submit",
                "csrfmiddlewaretoken": csrf(page),
            },
            name="save and submit",
            expect=302,
        )
        if submitted:
            page = self.get(entry, name="entry page")
            if "Submitted" in page:
                confirmed.append({"indicator": indicator_id, "period": period_id, "value": value})


class Manager(Staff):
    fixed_count = int(os.environ.get("PMIS_LOAD_MANAGERS", "10"))
    wait_time = between(2, 6)

    def on_start(self):
        self.account = ACCOUNTS["managers"][next(manager_numbers)]
        super().on_start()

    @task(3)
    def council_scorecard(self):
        self.get("/scorecards/council/", name="council scorecard")

    @task(2)
    def portfolio_scorecard(self):
        self.get(f"/scorecards/portfolio/{random.choice(ACCOUNTS['portfolios'])}/", name="portfolio scorecard")

    @task(1)
    def exception_report(self):
        self.get("/exceptions/", name="exception report")


def summary(entry) -> dict:
    return {
        "name": entry.name,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": entry.total_rps,
        **{f"p{p}": entry.get_response_time_percentile(p / 100) for p in (50, 95, 99)},
        "max": entry.max_response_time,
    }


@events.init.add_listener
def remember(environment, **kwargs):
    global ENVIRONMENT
    ENVIRONMENT = environment


@events.quit.add_listener
def write_results(**kwargs):
    # After the users have stopped (each finishes the return it is on): every request counted.
    stats = ENVIRONMENT.stats
    with open(os.environ["PMIS_LOAD_RESULTS"], "w") as out:
        json.dump(
            {
                "confirmed": confirmed,
                "requests": [summary(entry) for _, entry in sorted(stats.entries.items())],
                "total": summary(stats.total),
                "failures": [f"{e.method} {e.name}: {e.error} x{e.occurrences}" for e in stats.errors.values()],
            },
            out,
        )
