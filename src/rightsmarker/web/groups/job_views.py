"""Discovery jobs: upload a file, choose the settings, follow the progress, read the groups,
download the files and promote a flagged group to the city's monitored groups.

Access is decided by :mod:`.access` only: jobs are never shown to anonymous visitors.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..accounts.roles import roles_of
from ..network.models import City
from ..twins import respond
from .access import (
    get_job_for_user,
    job_cities,
    may_create_jobs,
    may_follow_groups,
    visible_jobs,
)
from .forms import PromoteForm, SettingsForm, UploadForm
from .jobs import enqueue, fail_if_orphaned
from .models import RESULT_FILES, DiscoveryJob, MonitoredGroup
from .report import records
from .results import RESULT_COLUMNS, flagged_definitions, page_context, subgroups
from .uploads import max_upload_mb, read_columns

JOB_COLUMNS = ["id", "owner", "city", "file", "outcome", "positive", "attributes", "weight",
               "higher_is_worse", "max_depth", "min_size", "alpha", "status", "progress", "stage",
               "error", "created", "finished"]


def job_list(request, fmt: str = "/"):
    if not roles_of(request.user).authenticated:
        raise PermissionDenied
    jobs = list(visible_jobs(request.user)[:200])
    rows = [j.as_dict() for j in jobs]
    for row in rows:
        row["attributes"] = ",".join(row["attributes"])
    return respond(request, fmt, "groups/job_list.html",
                   {"jobs": jobs, "may_create": may_create_jobs(request.user)},
                   data={"jobs": [j.as_dict() for j in jobs]}, rows=rows, columns=JOB_COLUMNS,
                   filename="discovery-jobs")


@require_http_methods(["GET", "POST"])
def job_new(request):
    """Step 1: upload a CSV or Parquet file (and attach the job to a city)."""
    if not may_create_jobs(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = _create_job(request, form)
        if job is not None:
            return redirect("groups:job-settings", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "groups/job_new.html", {"form": form, "max_mb": max_upload_mb()},
                  status=status)


def _create_job(request, form: UploadForm) -> DiscoveryJob | None:
    upload = form.cleaned_data["file"]
    job = DiscoveryJob(owner=request.user, city=form.cleaned_data["city"],
                       original_name=Path(upload.name).name[:255])
    job.data_file.save("data" + form.suffix, upload, save=False)
    try:
        job.columns = read_columns(job.data_file.path)
    except ValidationError as exc:
        shutil.rmtree(Path(job.data_file.path).parent, ignore_errors=True)
        form.add_error("file", exc)
        return None
    job.save()
    return job


@require_http_methods(["GET", "POST"])
def job_settings(request, pk: int):
    """Step 2: outcome, worse value, attributes, weight and search settings; then run."""
    job, can_write = get_job_for_user(request.user, pk)
    if not can_write:
        raise PermissionDenied
    job = fail_if_orphaned(job)
    if job.in_progress:
        return redirect("groups:job", pk=job.pk, fmt="/")
    initial = None
    if job.outcome:  # a run before: start from its settings
        initial = {"outcome": job.outcome, "positive": job.positive, "attributes": job.attributes,
                   "weight": job.weight, "max_depth": job.max_depth, "min_size": job.min_size,
                   "alpha": job.alpha, "lower_is_worse": not job.higher_is_worse}
    form = SettingsForm(request.POST or None, columns=job.columns, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for name in ("outcome", "positive", "attributes", "weight", "max_depth", "min_size",
                     "alpha"):
            setattr(job, name, data[name])
        job.positive = job.positive.strip()
        job.higher_is_worse = not data["lower_is_worse"]
        job.save()
        enqueue(job)
        return redirect("groups:job", pk=job.pk, fmt="/")
    status = 400 if request.method == "POST" else 200
    return render(request, "groups/job_settings.html", {"job": job, "form": form},
                  status=status)


def _job_context(request, job: DiscoveryJob, can_write: bool) -> dict:
    promoted = set()
    if job.city_id:
        promoted = set(job.city.monitored_groups.values_list("definition", flat=True))
    cities = [] if job.city_id else list(job_cities(request.user))
    may_promote = can_write and (may_follow_groups(request.user, job.city) if job.city_id
                                 else bool(cities))
    context = {"job": job, "can_write": can_write, "files": RESULT_FILES,
               "may_promote": may_promote, "cities": cities}
    if job.finished_ok:
        context["results"] = page_context(job, promoted)
    return context


def job_detail(request, pk: int, fmt: str = "/"):
    job, can_write = get_job_for_user(request.user, pk)
    job = fail_if_orphaned(job)
    frame = subgroups(job)
    rows = records(frame, [c for c in RESULT_COLUMNS if c in frame.columns])
    data = {"job": job.as_dict(), "subgroups": rows}
    return respond(request, fmt, "groups/job_detail.html", _job_context(request, job, can_write),
                   data=data, rows=rows, columns=RESULT_COLUMNS,
                   filename=f"discovery-{job.pk}-subgroups")


def job_progress(request, pk: int):
    """The job's status block (htmx polls it every second while the job runs)."""
    job, can_write = get_job_for_user(request.user, pk)
    job = fail_if_orphaned(job)
    return render(request, "groups/_job_body.html", _job_context(request, job, can_write))


def job_file(request, pk: int, name: str):
    job, _can_write = get_job_for_user(request.user, pk)
    path = job.results_path() / name
    if name not in RESULT_FILES or not job.finished_ok or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True,
                        filename=f"discovery-{job.pk}-{name}")


@require_POST
def job_promote(request, pk: int):
    """Follow a flagged group of the job in its city's gap monitoring."""
    job, can_write = get_job_for_user(request.user, pk)
    if not can_write:
        raise PermissionDenied
    form = PromoteForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("The group is not written as ground=value."))
    city = job.city or City.objects.filter(code=form.cleaned_data["city"]).first()
    if city is None:
        messages.error(request, _("Choose the city that will follow the group."))
        return redirect("groups:job", pk=job.pk, fmt="/")
    if not may_follow_groups(request.user, city):
        raise PermissionDenied
    flagged = flagged_definitions(job)
    definition = form.cleaned_data["definition"]
    if definition not in flagged:
        raise Http404
    group, created = MonitoredGroup.objects.get_or_create(
        city=city, definition=definition,
        defaults={"label": form.cleaned_data["label"] or flagged[definition],
                  "source_job": job, "created_by": request.user})
    text = (_("%(city)s now follows the group %(group)s.") if created
            else _("%(city)s already follows the group %(group)s."))
    messages.success(request, text % {"city": city.name, "group": group.definition})
    return redirect("groups:city", code=city.code, fmt="/")
