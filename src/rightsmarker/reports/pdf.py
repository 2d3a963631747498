"""HTML to PDF with a headless Chromium (Debian's ``chromium`` package, or Chrome).

The report's charts are Plotly SVG drawn in the page, so Chromium's PDF keeps them as vector
graphics (paths and text), not pictures. Nothing is fetched: the page is a local file with
every script inlined, and Chromium runs with its background networking off.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import RightsMarkerError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
              "chrome", "headless_shell")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-dev-shm-usage", "--no-pdf-header-footer",
         "--run-all-compositor-stages-before-draw")


class PdfError(RightsMarkerError):
    """The PDF could not be made (no browser found, or the browser failed)."""


def find_chromium() -> str:
    """The browser to print with: ``$RIGHTSMARKER_CHROMIUM``, else the first of
    :data:`CANDIDATES` on the PATH."""
    env = os.environ.get("RIGHTSMARKER_CHROMIUM")
    if env:
        if not Path(env).exists() and not shutil.which(env):
            raise PdfError(f"RIGHTSMARKER_CHROMIUM={env!r} does not exist")
        return env
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    err = PdfError("PDF reports need a Chromium or Chrome browser; none was found")
    err.hint = ("install Debian's package: apt-get install chromium (or set "
                "RIGHTSMARKER_CHROMIUM to the browser); HTML reports need no browser")
    raise err


def html_to_pdf(html: str, *, timeout: float = 600) -> bytes:
    """Print ``html`` (a complete page, no external resources) to PDF bytes."""
    browser = find_chromium()
    with tempfile.TemporaryDirectory(prefix="rightsmarker-pdf-") as tmp:
        page, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        cmd = [browser, *FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}",
               f"--print-to-pdf={out}", page.as_uri()]
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                 check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"the browser did not finish the PDF within {timeout:.0f} s") from exc
        if run.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            tail = "\n".join(run.stderr.strip().splitlines()[-5:])
            raise PdfError(f"{Path(browser).name} failed to print the PDF "
                           f"(exit {run.returncode}): {tail}")
        return out.read_bytes()
