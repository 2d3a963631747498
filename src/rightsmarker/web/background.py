"""Background work in the web process, shared by discovery jobs (``groups/jobs.py``) and score
runs (``results/jobs.py``).

- :class:`ThreadQueue`: a lazily made thread pool (its size from an environment variable) that
  runs ``run(pk)`` once the current transaction commits, each call with its own database
  connection.
- :func:`worker_id` names this process (host, process id, a token drawn when the module is
  first imported); :func:`worker_gone` tells whether the process a row names still runs.
- :class:`Orphans`: work lives in the process that started it,
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


class Orphans:
    """The take-over of ``model``'s queued or running rows (jobs or score runs) whose process
    is gone: ``start(pk)`` queues a row again, ``fail(pk, message)`` ends it; ``model`` has
    ``status``, ``worker``, ``restarts`` and ``in_progress``."""

    def __init__(self, model, start: Callable[[int], None],
                 fail: Callable[[int, str], None], message: str):
        self.model, self.start, self.fail, self.message = model, start, fail, message
        self.reaped = False  # this process has looked at every row once

    def resume_if_gone(self, row):
        """A queued or running ``row`` whose process is gone: claimed by this process and
        started again from the beginning (the work writes its outputs afresh), or, once it has
        been resumed :data:`MAX_RESUMES` times, failed with the message. Returns the row, fresh
        from the database when it changed; a row another process claimed first is left to it."""
        if not (row.in_progress and worker_gone(row.worker)):
            return row
        model = self.model
        if row.restarts >= MAX_RESUMES:
            self.fail(row.pk, self.message)
        else:
            claimed = model.objects.filter(
                pk=row.pk, worker=row.worker,
                status__in=[model.Status.QUEUED, model.Status.RUNNING],
            ).update(status=model.Status.QUEUED, progress=0, stage="queued", error="",
                     worker=worker_id(), restarts=F("restarts") + 1)
            if claimed:
                self.start(row.pk)
        row.refresh_from_db()
        return row

    def resume_all(self, **_signal) -> int:
        """:meth:`resume_if_gone` for every queued or running row, once per process (connected
        to ``request_started``); how many rows it found orphaned. A table that cannot be read
        (before migrate, or no database access in some tests) is tried again next time."""
        if self.reaped:
            return 0
        model = self.model
        try:
            rows = list(model.objects.filter(
                status__in=[model.Status.QUEUED, model.Status.RUNNING]))
        except Exception:
            return 0
        self.reaped = True
        orphans = [row for row in rows if worker_gone(row.worker)]
        for row in orphans:
            self.resume_if_gone(row)
        return len(orphans)
