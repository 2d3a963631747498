"""Scoring a cycle in the background of the web process, as discovery jobs run
(:mod:`rightsmarker.web.groups.jobs`).

The score action creates the run, queued (:func:`.services.prepare_run`), and :func:`enqueue`
hands it to a :class:`~rightsmarker.web.background.ThreadQueue`
(``RIGHTSMARKER_SCORING_WORKERS`` threads, default 1: scoring is heavy) that runs
:func:`run_job`. Each stage writes its percentage and name to the run's row, so any web process
can show it: scoring 5 %, uncertainty 15 %, storing 45 %, building pages 50 to 99 % (``pages:
n/total``), done 100 %; or failed, with the error. With the setting ``RIGHTSMARKER_SCORING_SYNC
= True`` (tests) the run is scored in the request instead.

Runs live in the process that started them. Each run records its worker (host, process id, a
token of the process); :func:`resume_orphaned_runs`, run once per process on its first request,
and :func:`resume_if_orphaned`, whenever a cycle's runs are read, take over a queued or running
run whose process is gone (a restart) and score it again from the start in this process, at most
:data:`~rightsmarker.web.background.MAX_RESUMES` times; after that the run is marked failed, with
a message asking to score the cycle again.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import OperationalError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rightsmarker.errors import RightsMarkerError

from ..background import Orphans, ThreadQueue, worker_id
from .models import ScoreRun

log = logging.getLogger(__name__)
STAGES = {"queued": 0, "starting": 2, "scoring": 5, "uncertainty": 15, "storing": 45,
          "pages": 50, "done": 100}
PAGES_SPAN = (50, 99)  # building pages n/total moves the bar from 50 % to 99 %
RESTARTED = gettext_noop("The server restarted while this run was waiting or running; "
                         "score the cycle again.")
QUEUE = ThreadQueue("RIGHTSMARKER_SCORING_WORKERS", 1, "rightsmarker-scoring")


def stage_label(stage: str) -> str:
    """The stage in the user's language; ``pages:<n>/<total>`` reads "building pages n/total"."""
    if stage.startswith("pages:"):
        done, _sep, total = stage[6:].partition("/")
        return _("building pages %(done)s/%(total)s") % {"done": done, "total": total}
    labels = {"queued": _("queued"), "starting": _("starting"), "scoring": _("scoring"),
              "uncertainty": _("uncertainty analysis"), "storing": _("storing"),
              "pages": _("building pages"), "done": _("done"), "failed": _("failed")}
    return labels.get(stage, stage)


def sync() -> bool:
    return bool(getattr(settings, "RIGHTSMARKER_SCORING_SYNC", False))


def enqueue(run: ScoreRun) -> None:
    """Queue the prepared ``run`` and start it: in a thread, or now in sync mode."""
    ScoreRun.objects.filter(pk=run.pk).update(status=ScoreRun.Status.QUEUED, progress=0,
                                              stage="queued", error="", worker=worker_id())
    _start(run.pk)


def _start(pk: int) -> None:
    if sync():
        run_job(pk)
    else:
        QUEUE.submit_after_commit(run_job, pk)


def retrying(write, tries: int = 40):
    """``write()``, tried again for up to ~2 s while SQLite says the table is locked (a
    shared in-memory database, as in tests, does not wait for the lock; a file database does)."""
    for attempt in range(tries):
        try:
            return write()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == tries - 1:
                raise
            time.sleep(0.05)


def _update(pk: int, **fields) -> None:
    retrying(lambda: ScoreRun.objects.filter(pk=pk).update(**fields))


def _stage(pk: int):
    def report(name: str) -> None:
        _update(pk, progress=STAGES.get(name, 50), stage=name)
    return report


def _pages(pk: int):
    low, high = PAGES_SPAN
    last = [-1]

    def report(done: int, total: int) -> None:
        percent = low + (high - low) * done // max(total, 1)
        if percent != last[0] or done == total:  # one write per percent, and the last page
            last[0] = percent
            _update(pk, progress=percent, stage=f"pages:{done}/{total}")
    return report


def run_job(pk: int) -> ScoreRun:
    """Score the run now, in this thread; the outcome (done or failed) is saved on the run."""
    from .services import score_run

    _update(pk, status=ScoreRun.Status.RUNNING, progress=STAGES["starting"], stage="starting",
            worker=worker_id())
    run = ScoreRun.objects.select_related("cycle", "cycle__framework_version").get(pk=pk)
    try:
        score_run(run, progress=_pages(pk), stage=_stage(pk))
    except RightsMarkerError as exc:
        _fail(pk, str(exc))
    except Exception as exc:  # a run must end as failed, never stay running
        log.exception("score run %s failed", pk)
        _fail(pk, f"{type(exc).__name__}: {exc}")
    return ScoreRun.objects.get(pk=pk)


def _fail(pk: int, message: str) -> None:
    _update(pk, status=ScoreRun.Status.FAILED, stage="failed", error=message[:4000])


# A queued or running run whose process is gone is scored again here (or failed once it has
# been resumed too often): on the first request of each process, and whenever it is read.
ORPHANS = Orphans(ScoreRun, _start, _fail, RESTARTED)
resume_if_orphaned = ORPHANS.resume_if_gone
resume_orphaned_runs = ORPHANS.resume_all
