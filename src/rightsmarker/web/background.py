"""Background work in the web process, shared by discovery jobs (``groups/jobs.py``) and score
runs (``results/jobs.py``).

- :class:`ThreadQueue`: a lazily made thread pool (its size from an environment variable) that
  runs ``run(pk)`` once the current transaction commits, each call with its own database
  connection.
- :func:`worker_id` names this process (host, process id, a token drawn when the module is
  first imported); :func:`worker_gone` tells whether the process a row names still runs.
- :func:`fail_if_gone` and :func:`reap_orphans` mark queued or running rows whose process is gone
  as failed: work lives in the process that started it, so a restart loses it.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, connection, transaction

from .env import env_int

_TOKEN = secrets.token_hex(4)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{_TOKEN}"


def worker_gone(worker: str) -> bool:
    """Whether the process named by ``worker`` no longer runs (False when it cannot be told)."""
    host, _, rest = worker.partition(":")
    pid_text, _, token = rest.partition(":")
    if not worker or not pid_text.isdigit():
        return True
    if host != socket.gethostname():
        return False  # another machine: cannot tell
    pid = int(pid_text)
    if pid == os.getpid():
        return token != _TOKEN
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class ThreadQueue:
    """Threads of this process that run queued work: ``setting`` (an environment variable)
    sets how many, ``default`` when unset."""

    def __init__(self, setting: str, default: int, name: str):
        self.setting, self.default, self.name = setting, default, name
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                workers = env_int(self.setting, self.default, minimum=1)
                self._executor = ThreadPoolExecutor(max_workers=workers,
                                                    thread_name_prefix=self.name)
        return self._executor

    def submit_after_commit(self, run: Callable[[int], object], pk: int) -> None:
        """Run ``run(pk)`` in a thread once the current transaction commits (at once outside
        one), so that the thread sees the row its caller saved."""
        transaction.on_commit(lambda: self.executor().submit(_in_thread, run, pk))


def _in_thread(run: Callable[[int], object], pk: int) -> None:
    close_old_connections()
    try:
        run(pk)
    finally:
        connection.close()  # this thread's connection


def fail_if_gone(row, fail: Callable[[int, str], None], message: str):
    """Mark a queued or running row (job or score run) whose process is gone as failed with
    ``fail(pk, message)``; return the row, fresh from the database when it changed."""
    if row.in_progress and worker_gone(row.worker):
        fail(row.pk, message)
        row.refresh_from_db()
    return row


def reap_orphans(model, fail_if_orphaned) -> int | None:
    """``fail_if_orphaned`` applied to every queued or running row of ``model`` (a model with
    ``status``, ``worker`` and ``in_progress``); how many it failed, None when the table cannot
    be read (before migrate, or no database access in some tests)."""
    try:
        rows = list(model.objects.filter(status__in=[model.Status.QUEUED, model.Status.RUNNING]))
    except Exception:
        return None
    return sum(1 for row in rows if fail_if_orphaned(row).status == model.Status.FAILED)
