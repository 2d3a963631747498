"""``rightsmarker serve --workers 2``: gunicorn's worker processes answer on one port, share the
SQLite database in write-ahead-log mode, and all stop on Ctrl+C (SIGINT to the parent)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from rightsmarker.web import server

LAUNCH = "import sys; from rightsmarker.cli import main; main(sys.argv[1:])"

pytestmark = pytest.mark.skipif(not server.gunicorn_available(), reason="gunicorn is POSIX only")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.add(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_two_workers_answer_share_sqlite_in_wal_mode_and_stop_on_ctrl_c():
    data_dir = tempfile.mkdtemp(prefix="rightsmarker-workers-")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("RIGHTSMARKER_") and k not in ("DATABASE_URL",
                                                               "DJANGO_SETTINGS_MODULE")}
    env.update(RIGHTSMARKER_DATA_DIR=data_dir, RIGHTSMARKER_SECRET_KEY="k" * 50)
    port = _free_port()
    log = Path(data_dir) / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, "serve", "--port", str(port), "--workers", "2",
             "--threads", "2"], env=env, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL)
    try:
        deadline, answered = time.monotonic() + 120, 0
        while time.monotonic() < deadline and answered < 10:
            assert process.poll() is None, log.read_text(errors="replace")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/",
                                            timeout=10) as r:
                    answered += r.status == 200
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        assert answered == 10, log.read_text(errors="replace")
        workers = _children(process.pid)
        assert len(workers) == 2
        mode = sqlite3.connect(Path(data_dir) / "rightsmarker.sqlite3").execute(
            "PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        assert not any(_alive(pid) for pid in workers)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=15)
        shutil.rmtree(data_dir, ignore_errors=True)
