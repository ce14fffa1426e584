"""Browser journeys: Debian's Chromium driven by Playwright, against pytest-django's live server.

Chromium is the system one (/usr/bin/chromium, installed by scripts/install-system-deps.sh);
Playwright never downloads a browser. Without Chromium the journeys are skipped locally and
fail in CI. Each step's screenshot goes to test-artifacts/e2e/<journey>/<step>.png.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in the main thread; Django's async-safety check
# would then refuse the ORM calls the tests make to set up their data.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these, Chromium's own background connections are refused here and slow it down.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TABLET = {"width": 820, "height": 1180}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"


def pytest_collection_modifyitems(config, items):
    """Skip the `e2e` tests when Chromium is missing, except in CI where they must run (and fail)."""
    if os.path.exists(CHROMIUM) or os.environ.get("CI"):
        return
    reason = f"{CHROMIUM} introuvable : lancez scripts/install-system-deps.sh (obligatoire en CI)."
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium introuvable ({CHROMIUM}) : scripts/install-system-deps.sh doit l'installer en CI.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


# Plain HTTP on localhost: no HTTPS redirect, no HSTS, cookies the browser sends back over HTTP.
PLAIN_HTTP = {
    "SECURE_SSL_REDIRECT": False,
    "SECURE_HSTS_SECONDS": 0,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
}


@pytest.fixture(scope="module")
def live_server(request, django_db_setup):
    """pytest-django's live server, started under PLAIN_HTTP.

    SecurityMiddleware reads its settings when the server builds its handler, so they must be
    in force before the server starts (the `settings` fixture comes too late).
    """
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    with override_settings(**PLAIN_HTTP):
        server = LiveServer(address)
        yield server
        server.stop()


class Journey:
    """One tablet session in a fresh browser context: navigation helpers, screenshots, console errors."""

    def __init__(self, page, base_url: str, name: str):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.folder = ARTIFACTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.step = 0
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"erreur JavaScript : {error}"))

    def _console(self, message) -> None:
        # CSP violations and failed resources are console errors. A 404 on the page itself (a
        # deliberately refused URL) is checked by the test; so is one on a stylesheet or script.
        # /favicon.ico is asked by the browser on its own: no page links to it.
        if message.type != "error":
            return
        where = message.location.get("url") or ""
        if "status of 404" in message.text and (where == self.page.url or where.endswith("/favicon.ico")):
            return
        self.problems.append(f"console : {message.text} ({where})")

    def assert_clean(self, *, tolerated: tuple[str, ...] = ()) -> None:
        """No CSP violation, failed resource or script error during the journey.

        `tolerated`: known problems (substrings), each one also pinned by a strict xfail test.
        """
        left = [problem for problem in self.problems if not any(known in problem for known in tolerated)]
        assert not left, "\n".join(left)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def goto(self, path: str):
        return self.page.goto(self.url(path), wait_until="load")

    def shot(self, label: str) -> Path:
        """Screenshot of the whole page, numbered in the order of the journey."""
        self.step += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        path = self.folder / f"{self.step:02d}-{slug}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_styled(self) -> None:
        """The application stylesheet is applied (the CSP allows only same-origin files)."""
        applied = self.page.evaluate(
            """() => {
                const sheets = [...document.styleSheets].filter(s => s.href && s.href.includes('/static/css/app.css'));
                const loaded = sheets.length > 0 && sheets[0].cssRules.length > 0;
                const header = document.querySelector('.site-header');
                const bg = header ? getComputedStyle(header).backgroundColor : '';
                return {loaded, bg};
            }"""
        )
        assert applied["loaded"], "app.css n'est pas chargée"
        assert applied["bg"] not in ("", "rgba(0, 0, 0, 0)"), f"en-tête sans style : {applied['bg']!r}"

    def login(self, username: str, password: str) -> None:
        self.goto("/connexion/")
        self.assert_styled()
        self.shot("connexion")
        self.page.get_by_label("Identifiant").fill(username)
        self.page.get_by_label("Mot de passe").fill(password)
        self.page.get_by_role("button", name="Se connecter").tap()
        self.page.wait_for_url(self.url("/"))


@pytest.fixture
def journey(browser, live_server):
    """journey("name") → a Journey in a new tablet-sized, touch-enabled browser context."""
    contexts = []

    def start(name: str) -> Journey:
        context = browser.new_context(
            viewport=TABLET,
            screen=TABLET,
            has_touch=True,
            is_mobile=True,
            device_scale_factor=1,
            locale="fr-FR",
            timezone_id="Europe/Paris",
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return Journey(context.new_page(), live_server.url, name)

    yield start
    for context in contexts:
        context.close()
