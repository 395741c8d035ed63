"""Browser tests: Debian's Chromium driven by Playwright against a live server.

Skipped when /usr/bin/chromium is missing, unless PMIS_REQUIRE_E2E is set (CI sets it),
when they fail instead. Every page a test visits is checked with axe-core.
"""

import os
import shutil
from pathlib import Path

import pytest

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_SOURCE = AXE.read_text()
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The flags that let Chromium start quietly on a machine with no outside network.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Playwright's synchronous API runs an event loop in this thread; the tests' own ORM
# calls are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("PMIS_REQUIRE_E2E"):
            pytest.fail(f"Chromium is not installed at {CHROMIUM}")
        pytest.skip("needs Debian's chromium package (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


class Visitor:
    """One person's browser session: visits pages, and checks each with axe as it goes."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.checked: dict[str, int] = {}
        # What the browser refused under the Content Security Policy (Chromium reports each
        # refusal as a console error).
        self.refused: list[str] = []
        page.on("console", self._console)

    def _console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.refused.append(f"{self.page.url}: {message.text}")

    def go(self, path: str):
        self.page.goto(self.base_url + path)
        self.check()

    def check(self):
        """Run axe on the current page: no WCAG 2.2 A or AA violations, nothing the
        Content Security Policy refused."""
        assert not self.refused, "\n".join(self.refused)
        result = self._axe()
        path = self.page.url.removeprefix(self.base_url)
        problems = [
            f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
            for v in result["violations"]
        ]
        assert not problems, f"axe on {path}:\n" + "\n".join(problems)
        self.checked[path] = len(result["passes"])

    def _axe(self):
        """axe's result for the page the browser has settled on. A click that navigates
        returns before the new document exists; under load axe can start in the old one and
        find it gone, so the run waits for the page to load and tries again once."""
        from playwright.sync_api import Error

        for attempt in (1, 2):
            self.page.wait_for_load_state("load")
            try:
                # Evaluated through the browser's debugging protocol, which the page's policy
                # (scripts from the site only) does not apply to; a script tag would be refused.
                self.page.evaluate(AXE_SOURCE)
                return self.page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
            except Error as error:
                navigated = "documentElement" in str(error) or "context was destroyed" in str(error)
                if attempt == 2 or not navigated:
                    raise

    def sign_in(self, username: str, password: str):
        self.go("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.check()


@pytest.fixture
def visitor(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    yield Visitor(page, live_server.url)
    context.close()
