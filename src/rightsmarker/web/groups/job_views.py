"""Discovery jobs: upload a file (or choose a database table), choose the settings (with two
waves, optionally), follow the progress, read the groups (or the emerging groups), download the
files and promote a flagged group to the city's monitored groups.

Access is decided by :mod:`.access` only: jobs are never shown to anonymous visitors; database
tables are offered to the secretariat only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

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
from .forms import PromoteForm, SettingsForm, TableForm, UploadForm, canonical
from .jobs import enqueue, resume_if_orphaned
from .models import RESULT_FILES, WAVE_FILES, DiscoveryJob, MonitoredGroup
from .promote import (
    check,
    current_framework,
    ground_options,
    group_label,
    how_text,
    propose,
)
from .report import records
from .results import (
    EMERGING_COLUMNS,
    RESULT_COLUMNS,
    emerging,
    flagged_definitions,
    page_context,
    subgroups,
    waves_context,
)
from .tables import allowed_tables, table_columns
from .tables import label as table_label
from .uploads import max_upload_mb, read_columns

JOB_COLUMNS = ["id", "owner", "city", "file", "table", "outcome", "positive", "attributes",
               "weight", "higher_is_worse", "max_depth", "min_size", "alpha", "wave", "waves",
               "status", "progress", "stage", "error", "created", "finished"]


def job_list(request, fmt: str = "/"):
    if not roles_of(request.user).authenticated:
        raise PermissionDenied
    jobs = list(visible_jobs(request.user)[:200])
    rows = [j.as_dict() for j in jobs]
    for row in rows:
        row["attributes"] = ",".join(row["attributes"])
        row["waves"] = ",".join(str(w) for w in row["waves"] or [])
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
    return render(request, "groups/job_new.html",
                  {"form": form, "max_mb": max_upload_mb(),
                   "table_form": _table_form(request, bound=False)}, status=status)


def _table_form(request, bound: bool) -> TableForm | None:
    """The form choosing a database table: the secretariat only, when tables are offered."""
    tables = allowed_tables()
    if not (roles_of(request.user).is_secretariat and tables):
        return None
    return TableForm(request.POST if bound else None, user=request.user,
                     tables=[(t, table_label(t)) for t in tables])


@require_http_methods(["GET", "POST"])
def job_new_table(request):
    """Step 1 with a database table of ``RIGHTSMARKER_MICRODATA_TABLES`` (the secretariat)."""
    if not roles_of(request.user).is_secretariat:
        raise PermissionDenied
    form = _table_form(request, bound=request.method == "POST")
    if form is None:
        raise Http404
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["table"]
        try:
            columns = table_columns(name)
        except ValidationError as exc:
            form.add_error("table", exc)
        else:
            job = DiscoveryJob.objects.create(
                owner=request.user, city=form.cleaned_data["city"], source_table=name,
                original_name=table_label(name)[:255], columns=columns)
            return redirect("groups:job-settings", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "groups/job_new.html",
                  {"form": UploadForm(user=request.user), "max_mb": max_upload_mb(),
                   "table_form": form}, status=status)


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
    job = resume_if_orphaned(job)
    if job.in_progress:
        return redirect("groups:job", pk=job.pk, fmt="/")
    initial = None
    if job.outcome:  # a run before: start from its settings
        initial = {"outcome": job.outcome, "positive": job.positive, "attributes": job.attributes,
                   "weight": job.weight, "max_depth": job.max_depth, "min_size": job.min_size,
                   "alpha": job.alpha, "lower_is_worse": not job.higher_is_worse,
                   "wave": job.wave, **dict(zip(("wave_1", "wave_2"), job.waves or [],
                                               strict=False))}
    form = SettingsForm(request.POST or None, columns=job.columns, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for name in ("outcome", "positive", "attributes", "weight", "max_depth", "min_size",
                     "alpha"):
            setattr(job, name, data[name])
        job.positive = job.positive.strip()
        job.higher_is_worse = not data["lower_is_worse"]
        job.wave = data["wave"] or ""
        job.waves = [data["wave_1"], data["wave_2"]] if job.wave else []
        job.save()
        enqueue(job)
        return redirect("groups:job", pk=job.pk, fmt="/")
    status = 400 if request.method == "POST" else 200
    return render(request, "groups/job_settings.html", {"job": job, "form": form},
                  status=status)


def _job_context(request, job: DiscoveryJob, can_write: bool) -> dict:
    promoted = set()
    if job.city_id:
        followed = job.city.monitored_groups.values_list("definition", "discovered_as")
        promoted = {canonical(d) for pair in followed for d in pair if d}
    cities = [] if job.city_id else list(job_cities(request.user))
    may_promote = can_write and (may_follow_groups(request.user, job.city) if job.city_id
                                 else bool(cities))
    context = {"job": job, "can_write": can_write,
               "files": WAVE_FILES if job.is_waves else RESULT_FILES,
               "may_promote": may_promote, "cities": cities}
    if job.finished_ok and job.is_waves:
        context["waves"] = waves_context(job, promoted)
    elif job.finished_ok:
        context["results"] = page_context(job, promoted)
    return context


def job_detail(request, pk: int, fmt: str = "/"):
    job, can_write = get_job_for_user(request.user, pk)
    job = resume_if_orphaned(job)
    if job.is_waves:
        frame, columns, key = emerging(job), EMERGING_COLUMNS, "emerging"
    else:
        frame, columns, key = subgroups(job), RESULT_COLUMNS, "subgroups"
    rows = records(frame, [c for c in columns if c in frame.columns])
    data = {"job": job.as_dict(), key: rows}
    return respond(request, fmt, "groups/job_detail.html", _job_context(request, job, can_write),
                   data=data, rows=rows, columns=columns,
                   filename=f"discovery-{job.pk}-{key}")


def job_progress(request, pk: int):
    """The job's status block (htmx polls it every second while the job runs)."""
    job, can_write = get_job_for_user(request.user, pk)
    job = resume_if_orphaned(job)
    return render(request, "groups/_job_body.html", _job_context(request, job, can_write))


def job_file(request, pk: int, name: str):
    job, _can_write = get_job_for_user(request.user, pk)
    path = job.results_path() / name
    files = WAVE_FILES if job.is_waves else RESULT_FILES
    if name not in files or not job.finished_ok or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True,
                        filename=f"discovery-{job.pk}-{name}")


@require_http_methods(["GET", "POST"])
def job_promote(request, pk: int):
    """Follow a flagged group of the job in a city's gap monitoring.

    GET shows the proposed mapping of each ``attribute=value`` pair to a ground and value of the
    framework (editable; unmapped pairs flagged); POST stores the canonical group (the proposal
    stands for any pair not posted) or shows the page again with what is missing.
    """
    job, can_write = get_job_for_user(request.user, pk)
    if not can_write:
        raise PermissionDenied
    form = PromoteForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("The group is not written as ground=value."))
    discovered = flagged_definitions(job).get(canonical(form.cleaned_data["definition"]))
    if discovered is None:
        raise Http404
    city = job.city or City.objects.filter(code=form.cleaned_data["city"]).first()
    if city is not None and not may_follow_groups(request.user, city):
        raise PermissionDenied
    framework = current_framework()
    proposed = propose(discovered, city, framework)
    if request.method == "GET":
        return _promote_page(request, job, city, discovered, proposed, framework, form)
    if city is None:
        messages.error(request, _("Choose the city that will follow the group."))
        return redirect("groups:job", pk=job.pk, fmt="/")
    mapping = check(discovered, form.choices(proposed), framework)
    if mapping.canonical is None:
        return _promote_page(request, job, city, discovered, mapping, framework, form,
                             status=400)
    label = (form.cleaned_data["label"] or group_label(mapping, framework) or discovered)
    group, created = MonitoredGroup.objects.get_or_create(
        city=city, definition=mapping.canonical,
        defaults={"label": label[:200], "discovered_as": discovered[:200], "source_job": job,
                  "created_by": request.user})
    text = (_("%(city)s now follows the group %(group)s.") if created
            else _("%(city)s already follows the group %(group)s."))
    messages.success(request, text % {"city": city.name, "group": group.definition})
    return redirect("groups:city", code=city.code, fmt="/")


def _promote_page(request, job, city, discovered, mapping, framework, form, status=200):
    grounds = ground_options(framework)
    values = {g["code"]: g["values"] for g in grounds}
    pairs = [{"index": i, "pair": p, "values": values.get(p.ground or "", []),
              "how": how_text(p.how)} for i, p in enumerate(mapping.pairs)]
    cities = [] if job.city_id else list(job_cities(request.user))
    context = {"job": job, "city": city, "cities": cities, "discovered": discovered,
               "mapping": mapping, "pairs": pairs, "grounds": grounds,
               "label": form.data.get("label") or group_label(mapping, framework),
               "status": status}
    return render(request, "groups/promote.html", context, status=status)
