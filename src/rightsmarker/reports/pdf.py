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
    return print_pages([html], timeout=timeout)


def print_pages(pages, *, workers: int | None = None, timeout: float = 600) -> bytes:
    """Print each HTML page of the iterable ``pages`` with its own headless browser, up to
    ``workers`` at a time (default: the number of CPUs, 2 to 4), while the next pages are
    still being made; the PDFs are joined in order (pypdf)."""
    browser = find_chromium()
    workers = workers or min(4, max(2, os.cpu_count() or 2))
    with tempfile.TemporaryDirectory(prefix="rightsmarker-pdf-") as tmp:
        jobs: list[tuple[subprocess.Popen, Path]] = []
        for i, html in enumerate(pages):
            while sum(p.poll() is None for p, _ in jobs) >= workers:
                next(p for p, _ in jobs if p.poll() is None).wait(timeout=timeout)
            jobs.append(_start(browser, html, Path(tmp) / f"part{i:03d}"))
        outs = [_finish(proc, out, timeout) for proc, out in jobs]
        if len(outs) == 1:
            return outs[0].read_bytes()
        return _join(outs)


def _start(browser: str, html: str, base: Path) -> tuple[subprocess.Popen, Path]:
    base.mkdir()
    page, out = base / "report.html", base / "report.pdf"
    page.write_text(html, encoding="utf-8")
    cmd = [browser, *FLAGS, f"--user-data-dir={base / 'profile'}", f"--print-to-pdf={out}",
           page.as_uri()]
    with open(base / "stderr.txt", "wb") as err:  # a file: a full pipe would block it
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
    return proc, out


def _finish(proc: subprocess.Popen, out: Path, timeout: float) -> Path:
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        proc.kill()
        proc.wait()
        raise PdfError(f"the browser did not finish the PDF within {timeout:.0f} s") from exc
    if proc.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        err = (out.parent / "stderr.txt").read_text(encoding="utf-8", errors="replace")
        tail = "\n".join(err.strip().splitlines()[-5:])
        raise PdfError(f"the browser failed to print the PDF (exit {proc.returncode}): {tail}")
    return out


def _join(paths: list[Path]) -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for path in paths:
        writer.append(str(path))
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
