"""Running discovery jobs in the background of the web process.

A :class:`~rightsmarker.web.background.ThreadQueue` (``RIGHTSMARKER_DISCOVERY_WORKERS`` threads,
default 2) runs :func:`run_job`; :func:`rightsmarker.discovery.discover`
reports its stages through ``progress``, which writes the percentage and the stage to the job's
row, so any web process can show it. With the setting ``RIGHTSMARKER_DISCOVERY_SYNC = True``
(tests) the job runs in the request instead.

Jobs live in the process that started them. Each job records its worker (host, process id, a
token of the process); :func:`resume_orphaned_jobs`, run once per process on its first request,
and :func:`resume_if_orphaned`, whenever a job page is read, take over a queued or running job
whose process is gone (a restart) and run it again from the start in this process, at most
:data:`~rightsmarker.web.background.MAX_RESUMES` times; after that the job is marked failed,
with a message asking to run it again.
"""

from __future__ import annotations

import logging
import re
import shutil

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from rightsmarker.errors import RightsMarkerError

from ..background import Orphans, ThreadQueue, worker_id
from .models import DiscoveryJob

log = logging.getLogger(__name__)
STAGES = {"queued": 0, "starting": 5, "reading": 15, "aggregating": 40, "statistics": 75,
          "writing": 90, "done": 100}
RESTARTED = gettext_noop("The server restarted while this job was waiting or running; "
                         "run it again.")
QUEUE = ThreadQueue("RIGHTSMARKER_DISCOVERY_WORKERS", 2, "rightsmarker-discovery")


def enqueue(job: DiscoveryJob) -> None:
    """Queue ``job`` (its settings saved) and start it: in a thread, or now in sync mode."""
    DiscoveryJob.objects.filter(pk=job.pk).update(
        status=DiscoveryJob.Status.QUEUED, progress=0, stage="queued", error="",
        worker=worker_id(), started=None, finished=None)
    _start(job.pk)


def _start(pk: int) -> None:
    if getattr(settings, "RIGHTSMARKER_DISCOVERY_SYNC", False):
        run_job(pk)
    else:
        QUEUE.submit_after_commit(run_job, pk)


def _update(pk: int, **fields) -> None:
    DiscoveryJob.objects.filter(pk=pk).update(**fields)


def _progress(pk: int):
    def report(stage: str) -> None:
        _update(pk, progress=STAGES.get(stage, 50), stage=stage)
    return report


def run_job(pk: int) -> DiscoveryJob:
    """Run the job now, in this thread; the outcome (done or failed) is saved on the job.

    A job with a wave column and two waves runs :func:`~rightsmarker.discovery.discover_waves`
    (``waves.csv``, ``emerging.csv``), any other :func:`~rightsmarker.discovery.discover`.
    """
    from rightsmarker.discovery import discover, discover_waves

    from .tables import job_source

    job = DiscoveryJob.objects.get(pk=pk)
    _update(pk, status=DiscoveryJob.Status.RUNNING, started=timezone.now(),
            progress=STAGES["starting"], stage="starting", worker=worker_id())
    settings_ = dict(positive=job.positive or None, weight=job.weight or None,
                     max_depth=job.max_depth, min_size=job.min_size, alpha=job.alpha,
                     progress=_progress(pk), higher_is_worse=job.higher_is_worse)
    try:
        attributes = list(job.attributes)
        needed = [job.outcome, *attributes, *(c for c in (job.weight, job.wave) if c)]
        _progress(pk)("reading")
        source = job_source(job, needed)
        if job.is_waves:
            result = discover_waves(source, job.outcome, attributes, job.wave, list(job.waves),
                                    **settings_)
        else:
            result = discover(source, job.outcome, attributes, **settings_)
        _update(pk, progress=STAGES["writing"], stage="writing")
        out = job.results_path()
        shutil.rmtree(out, ignore_errors=True)  # a run before may have written other files
        result.summary["source"] = _shown_name(job)
        result.write(out)
    except RightsMarkerError as exc:
        _fail(pk, public_message(str(exc), job))
    except Exception as exc:  # a job must end as failed, never stay running
        log.exception("discovery job %s failed", pk)
        _fail(pk, public_message(f"{type(exc).__name__}: {exc}", job))
    else:
        _update(pk, status=DiscoveryJob.Status.DONE, progress=100, stage="done",
                finished=timezone.now(), result_dir=str(out))
    return DiscoveryJob.objects.get(pk=pk)


def _shown_name(job: DiscoveryJob) -> str:
    return job.original_name or job.source_name


def public_message(message: str, job: DiscoveryJob) -> str:
    """``message`` without server paths: the uploaded file's path reads as its original name,
    any other path under the upload folder as its last part."""
    if job.data_file:
        stored = str(job.data_file.path)
        message = message.replace(stored, _shown_name(job))
    root = str(settings.MEDIA_ROOT).rstrip("/")
    if root:
        message = re.sub(re.escape(root) + r"/(?:[^\s'\"():,]*/)?", "", message)
    return message


def _fail(pk: int, message: str) -> None:
    _update(pk, status=DiscoveryJob.Status.FAILED, stage="failed", error=message[:4000],
            finished=timezone.now())


# A queued or running job whose process is gone is run again here (or failed once it has
# been resumed too often): on the first request of each process, and whenever it is read.
ORPHANS = Orphans(DiscoveryJob, _start, _fail, RESTARTED)
resume_if_orphaned = ORPHANS.resume_if_gone
resume_orphaned_jobs = ORPHANS.resume_all
