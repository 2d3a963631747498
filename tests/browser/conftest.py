"""Browser tests: the real server (``rightsmarker serve --demo``) and Debian's Chromium driven by
Playwright's sync API.

- ``live_demo`` (session): ``rightsmarker serve --demo`` in a subprocess on a free port of
  127.0.0.1, with a fresh temporary ``RIGHTSMARKER_DATA_DIR`` (SQLite; ``DATABASE_URL`` is not
  passed on, so the demo always seeds an empty database). Stopped at the end of the session.
- ``browser`` (module): headless Chromium from ``RIGHTSMARKER_CHROMIUM`` (default
  ``/usr/bin/chromium``); Playwright never downloads a browser of its own here.
- ``new_page(name)``: a page in a fresh context (its own cookies), default timeouts on every wait.
- ``shot(page, name)``: a screenshot in ``artefacts/screenshots/`` (``RIGHTSMARKER_SCREENSHOTS``
  to change it); the folder is created at run time and is ignored by git.

Test modules mark themselves ``pytestmark = pytest.mark.browser``: their tests are skipped, with
the reason, when Chromium or Playwright is missing; with ``RIGHTSMARKER_REQUIRE_BROWSER=1`` (CI,
which installs both) a missing one stops the run instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from importlib.util import find_spec
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("RIGHTSMARKER_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("RIGHTSMARKER_SCREENSHOTS", ROOT / "artefacts" / "screenshots"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT_S = 180  # migrations, static files and the demo seed take ~20 s on 2 cores
WAIT_MS = 20_000  # every Playwright wait (selectors, clicks, expectations)
NAVIGATION_MS = 60_000  # page loads (an upload preview reads the whole file)

# ``rightsmarker serve ...``: the console script's own entry point, with this interpreter.
LAUNCH = "import sys; from rightsmarker.cli import main; main(sys.argv[1:])"


def _missing_browser() -> str | None:
    if find_spec("playwright") is None:
        return "Playwright is not installed (pip install playwright; CI installs it)"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium; or set RIGHTSMARKER_CHROMIUM)"
    return None


BROWSER_MISSING = _missing_browser()


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: needs Playwright and Chromium (skipped without)")
    if BROWSER_MISSING and os.environ.get("RIGHTSMARKER_REQUIRE_BROWSER", "") in ("1", "true"):
        raise pytest.UsageError(f"RIGHTSMARKER_REQUIRE_BROWSER is set but {BROWSER_MISSING}")


def pytest_collection_modifyitems(config, items):
    if BROWSER_MISSING is None:
        return
    skip = pytest.mark.skip(reason=f"browser tests skipped: {BROWSER_MISSING}")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(data_dir: str) -> dict[str, str]:
    """The environment of the server: this one, without anything that would change its data."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("RIGHTSMARKER_") and k not in ("DATABASE_URL",
                                                               "DJANGO_SETTINGS_MODULE")}
    env["RIGHTSMARKER_DATA_DIR"] = data_dir
    env["PYTHONUNBUFFERED"] = "1"
    return env


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {process.returncode}):\n"
                               + log.read_text(errors="replace")[-3000:])
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server did not answer {url} within {timeout:.0f} s:\n"
                       + log.read_text(errors="replace")[-3000:])


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture(scope="session")
def live_demo():
    """``rightsmarker serve --demo`` on a free port; yields ``url``, ``data_dir`` and ``log``."""
    data_dir = tempfile.mkdtemp(prefix="rightsmarker-browser-")
    port = free_port()
    log = Path(data_dir) / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, "serve", "--demo", "--host", "127.0.0.1",
             "--port", str(port), "--threads", "8"],
            env=server_env(data_dir), stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, cwd=data_dir)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/", process, log, START_TIMEOUT_S)
        yield SimpleNamespace(url=url, data_dir=Path(data_dir), log=log, process=process)
    finally:
        stop(process)
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium, one per test module (Playwright's loop ends with the module)."""
    if BROWSER_MISSING:
        pytest.skip(f"browser tests skipped: {BROWSER_MISSING}")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                      headless=True, timeout=60_000)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser):
    """``new_page(locale="en-GB")``: a page in a fresh context (own cookies and language)."""
    contexts = []

    def make(locale: str = "en-GB"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale,
                                      accept_downloads=True)
        context.set_default_timeout(WAIT_MS)
        context.set_default_navigation_timeout(NAVIGATION_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def shot(screenshot_dir):
    """``shot(page, "03-draft-saved", full_page=False)``: save a PNG, return its path."""

    def take(page, name: str, full_page: bool = False) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page, timeout=WAIT_MS)
        return path

    return take


@pytest.fixture
def sign_in(live_demo):
    """``sign_in(page, username, password)`` on /accounts/login/ as a person would; ends on the
    home page."""

    def do(page, username: str, password: str) -> None:
        page.goto(live_demo.url + "/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.locator("main").get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_demo.url + "/")

    return do
