"""Who sees which score runs: one helper per object, as in the rest of the platform.

A run is published with its cycle: everyone sees the finished runs of published cycles; the
secretariat sees every run. Only secretariat admins score a cycle (``can_write``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ..accounts.roles import roles_of
from ..reporting.access import get_cycle_for_user
from ..reporting.models import Cycle
from .models import ScoreRun


def visible_runs(user) -> QuerySet[ScoreRun]:
    """Finished runs: of published cycles for everyone, of every cycle for the secretariat."""
    qs = ScoreRun.objects.filter(status=ScoreRun.Status.DONE).select_related(
        "cycle", "cycle__framework_version")
    if roles_of(user).is_secretariat:
        return qs
    return qs.filter(cycle__status=Cycle.Status.PUBLISHED)


def get_run_for_user(user, pk) -> tuple[ScoreRun, bool]:
    """``(run, can_write)``; Http404 for an unknown run, PermissionDenied for a hidden one."""
    try:
        run = ScoreRun.objects.select_related("cycle").get(pk=int(pk))
    except (ValueError, TypeError, ScoreRun.DoesNotExist):
        raise Http404 from None
    if not visible_runs(user).filter(pk=run.pk).exists():
        raise PermissionDenied
    return run, roles_of(user).is_admin


def chosen_run(user, cycle=None, run=None) -> ScoreRun:
    """The run a page shows: ``run`` (an id), else the latest of ``cycle`` (an id), else the
    latest run of the most recent published cycle. Http404 when there is none."""
    if run:
        return get_run_for_user(user, run)[0]
    runs = visible_runs(user)
    if cycle:
        found, _ = get_cycle_for_user(user, cycle)
        if found.status != Cycle.Status.PUBLISHED and not roles_of(user).is_secretariat:
            raise PermissionDenied
        runs = runs.filter(cycle=found)
    else:
        runs = runs.filter(cycle__status=Cycle.Status.PUBLISHED)
    latest = (runs.order_by("-cycle__year", "-created_at", "-pk")
              .values_list("pk", "created_at", "cycle__status", "cycle__name", "cycle__year")
              .first())
    if latest is None:
        raise Http404
    return loaded_run(*latest)


def loaded_run(pk: int, created_at, *cycle_state) -> ScoreRun:
    """The run with its cycle and framework version, kept in memory: a finished run never
    changes (its build record, the large part, is decoded once per process); the key holds
    the cycle's status, name and year, so a cycle published, withdrawn or renamed is read
    again."""
    from .services import cached_object

    return cached_object(("run", pk, created_at.isoformat() if created_at else "", *cycle_state),
                         lambda: ScoreRun.objects.select_related(
                             "cycle", "cycle__framework_version").get(pk=pk))


def unfinished_runs(user, cycle: Cycle, can_write: bool) -> list[ScoreRun]:
    """The cycle's runs not done that the runs page shows ``user``: every one (queued,
    running, failed, with the error) to the secretariat; the queued and running runs of a
    published cycle to everyone else who sees the cycle. Runs of a process that is gone are
    marked failed first."""
    from .jobs import resume_if_orphaned

    runs = ScoreRun.objects.filter(cycle=cycle).exclude(status=ScoreRun.Status.DONE)
    if not (can_write or roles_of(user).is_secretariat):
        if cycle.status != Cycle.Status.PUBLISHED:
            return []
        runs = runs.filter(status__in=[ScoreRun.Status.QUEUED, ScoreRun.Status.RUNNING])
    return [resume_if_orphaned(run) for run in runs.select_related("cycle")]


def get_progress_for_user(user, cycle_pk, run_pk) -> ScoreRun:
    """A run of the cycle for its progress: access checked as for the cycle's runs page
    (Http404 or PermissionDenied), then the run must be one that page shows the user."""
    cycle, can_write = get_cycle_for_user(user, cycle_pk)
    try:
        run = ScoreRun.objects.select_related("cycle").get(pk=int(run_pk), cycle=cycle)
    except (ValueError, TypeError, ScoreRun.DoesNotExist):
        raise Http404 from None
    if run.status == ScoreRun.Status.DONE:
        if not visible_runs(user).filter(pk=run.pk).exists():
            raise PermissionDenied
        return run
    if run.pk not in {r.pk for r in unfinished_runs(user, cycle, can_write)}:
        raise PermissionDenied
    return run
