"""Background work in the web process, shared by discovery jobs (``groups/jobs.py``) and score
runs (``results/jobs.py``).

- :class:`ThreadQueue`: a lazily made thread pool (its size from an environment variable) that
  runs ``run(pk)`` once the current transaction commits, each call with its own database
  connection.
- :func:`worker_id` names this process (host, process id, a token drawn when the module is
  first imported); :func:`worker_gone` tells whether the process a row names still runs.
- :func:`resume_if_gone` and :func:`resume_orphans`: work lives in the process that started it,
  so a queued or running row whose process is gone (a restart, a crash) is taken over by the next
  process that sees it and queued again there, at most :data:`MAX_RESUMES` times; after that it is
  marked failed (a job that kills its process would otherwise come back after every restart).
  Taking over is a compare-and-set on the row's ``worker``, so of several processes that notice
  the same orphan at once (gunicorn workers starting together) exactly one runs it.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, connection, transaction
from django.db.models import F

from .env import env_int

_TOKEN = secrets.token_hex(4)
MAX_RESUMES = 2  # a row found orphaned a third time is failed, not resumed again


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


def resume_if_gone(row, resume: Callable[[int], None], fail: Callable[[int, str], None],
                   message: str):
    """A queued or running ``row`` (job or score run) whose process is gone: claimed by this
    process and handed to ``resume(pk)`` (queued again from the start; the work writes its
    outputs afresh), or, once it has been resumed :data:`MAX_RESUMES` times, failed with
    ``fail(pk, message)``. Returns the row, fresh from the database when it changed; a row that
    another process claimed first is left to that process."""
    if not (row.in_progress and worker_gone(row.worker)):
        return row
    model = type(row)
    if row.restarts >= MAX_RESUMES:
        fail(row.pk, message)
    else:
        claimed = model.objects.filter(
            pk=row.pk, worker=row.worker,
            status__in=[model.Status.QUEUED, model.Status.RUNNING],
        ).update(status=model.Status.QUEUED, progress=0, stage="queued", error="",
                 worker=worker_id(), restarts=F("restarts") + 1)
        if claimed:
            resume(row.pk)
    row.refresh_from_db()
    return row


def resume_orphans(model, resume_if_orphaned) -> int | None:
    """``resume_if_orphaned`` applied to every queued or running row of ``model`` (a model with
    ``status``, ``worker``, ``restarts`` and ``in_progress``); how many rows it found orphaned
    (resumed or failed), None when the table cannot be read (before migrate, or no database
    access in some tests)."""
    try:
        rows = list(model.objects.filter(status__in=[model.Status.QUEUED, model.Status.RUNNING]))
    except Exception:
        return None
    orphans = [row for row in rows if worker_gone(row.worker)]
    for row in orphans:
        resume_if_orphaned(row)
    return len(orphans)
