"""Scoring a cycle (secretariat admins; in the background, :mod:`.jobs`), a cycle's runs and
their progress, report downloads and plotly.js."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rightsmarker.errors import RightsMarkerError

from ..network.access import get_city_for_user
from ..reporting.access import get_cycle_for_user
from ..twins import respond
from . import jobs
from .access import chosen_run, get_progress_for_user, unfinished_runs, visible_runs
from .models import ScoreRun
from .pages import common, lang, no_scores_message, run_query
from .services import (
    DEFAULT_FACTORS,
    ScoringError,
    load_gaps,
    load_result,
    parse_factors,
    prepare_run,
    scored_units,
    uncertainty_tables,
)

MAX_UNCERTAINTY_RUNS = 2000
MAX_FACTORS_BYTES = 100_000
SPECIFICATIONS = ("none", "default", "custom")
RUN_COLUMNS = ["id", "cycle", "cycle_name", "period", "status", "created_at", "method",
               "uncertainty", "uncertainty_runs", "published"]


@require_POST
def score(request, pk):
    """POST ``/results/cycles/<id>/score/``: score the cycle (``method`` YAML optional;
    ``uncertainty``: ``none``, ``default`` or ``custom`` with ``factors`` YAML or an uploaded
    ``factors_file``; ``uncertainty_runs`` 1 to 2000 unless none); secretariat admins only."""
    cycle, can_write = get_cycle_for_user(request.user, pk)
    if not can_write:
        raise PermissionDenied
    try:
        runs = int(request.POST.get("uncertainty_runs") or 0)
        if not 0 <= runs <= MAX_UNCERTAINTY_RUNS:
            raise ValueError
    except ValueError:
        messages.error(request, _("Uncertainty runs must be a whole number from 0 to %(n)s.")
                       % {"n": MAX_UNCERTAINTY_RUNS})
        return runs_page(request, cycle, can_write, "/", form=typed_form(request), status=400)
    try:
        runs, factors = uncertainty_choice(request, cycle, runs)
        run = prepare_run(cycle, request.POST.get("method") or None, request.user,
                          uncertainty_runs=runs, factors=factors)
    except RightsMarkerError as exc:
        messages.error(request, _("The cycle was not scored: %(error)s") % {"error": exc})
        return runs_page(request, cycle, can_write, "/", form=typed_form(request), status=400)
    jobs.enqueue(run)  # in the background (or now, with RIGHTSMARKER_SCORING_SYNC)
    run.refresh_from_db()
    if run.status == ScoreRun.Status.FAILED:
        messages.error(request, _("The cycle was not scored: %(error)s") % {"error": run.error})
    elif run.status == ScoreRun.Status.DONE:
        messages.success(request, _("The cycle was scored (run %(id)s).") % {"id": run.pk})
    else:
        messages.success(request, _("Scoring started (run %(id)s): its progress is shown "
                                    "below.") % {"id": run.pk})
    return redirect(reverse("results-cycle", args=[cycle.pk, "/"]) + f"#run-{run.pk}")


def uncertainty_choice(request, cycle, runs: int) -> tuple[int, list[dict] | None]:
    """``(runs, factors)`` from the form: ``none`` scores without uncertainty; ``default`` uses
    :data:`DEFAULT_FACTORS`; ``custom`` the factors YAML typed or uploaded. Without a choice,
    a number of runs means the default factors (as before the choice existed)."""
    spec = request.POST.get("uncertainty") or ("default" if runs else "none")
    if spec not in SPECIFICATIONS:
        raise ScoringError(_("unknown uncertainty specification %(spec)r") % {"spec": spec})
    if spec == "none":
        return 0, None
    if runs == 0:
        raise ScoringError(_("give the number of uncertainty runs (1 to %(n)s)")
                           % {"n": MAX_UNCERTAINTY_RUNS})
    if spec == "default":
        return runs, None
    upload = request.FILES.get("factors_file")
    if upload is not None:
        if upload.size > MAX_FACTORS_BYTES:
            raise ScoringError(_("the factors file is larger than %(n)s bytes")
                               % {"n": MAX_FACTORS_BYTES})
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScoringError(_("the factors file is not UTF-8 text")) from None
    else:
        text = request.POST.get("factors") or ""
    return runs, parse_factors(text, cycle.framework_version.as_framework())


def default_factors_yaml() -> str:
    import yaml

    return yaml.safe_dump({"factors": DEFAULT_FACTORS}, sort_keys=False)


def default_form() -> dict:
    """The scoring form as first shown: the default method and factors, no uncertainty."""
    from .models import default_method_yaml

    return {"method": default_method_yaml(), "factors": default_factors_yaml(),
            "uncertainty": "none", "uncertainty_runs": "200"}


def typed_form(request) -> dict:
    """The scoring form as the admin sent it (shown back with the error: nothing typed is
    lost; a browser never fills a file field in again: an uploaded file is chosen again)."""
    form = default_form()
    for name in ("method", "factors", "uncertainty", "uncertainty_runs"):
        if name in request.POST:
            form[name] = request.POST[name]
    return form


def cycle_runs(request, pk, fmt):
    """``/results/cycles/<id>/``: the cycle's score runs, and the scoring form for admins."""
    cycle, can_write = get_cycle_for_user(request.user, pk)
    return runs_page(request, cycle, can_write, fmt)


def runs_page(request, cycle, can_write: bool, fmt: str, form: dict | None = None,
              status: int = 200):
    """The runs page (or its twins); ``form``: the scoring form's values (default: the
    defaults), ``status``: 400 when shown back with an error."""
    runs = list(visible_runs(request.user).filter(cycle=cycle))
    rows = [r.as_dict() for r in runs]
    unfinished = unfinished_runs(request.user, cycle, can_write)
    rows += [r.as_dict() | r.progress_dict() for r in unfinished]
    rows.sort(key=lambda row: row["id"], reverse=True)
    runs += unfinished
    extra = {r.pk: {"factors_yaml": r.uncertainty_yaml, "created": r.created_at} for r in runs}
    context = {**common(None), "cycle": cycle, "can_write": can_write,
               "runs": [row | extra[row["id"]] for row in rows],
               "max_runs": MAX_UNCERTAINTY_RUNS, "busy": any(r.in_progress for r in unfinished)}
    if can_write and fmt == "/":
        defaults = default_form()
        form = form or defaults
        context["form"] = form | {"method_changed": form["method"] != defaults["method"],
                                  "factors_changed": form["factors"] != defaults["factors"]}
    if status != 200:
        return render(request, "results/cycle_runs.html", context, status=status)
    return respond(request, fmt, "results/cycle_runs.html", context,
                   data={"cycle": cycle.pk, "runs": rows}, rows=rows, columns=RUN_COLUMNS,
                   filename=f"score-runs-{cycle.pk}")


def run_progress(request, pk, run):
    """``/results/cycles/<id>/runs/<run>/progress/``: the progress partial of one run, polled
    by htmx every second while the run is queued or running (access as the runs page)."""
    found = get_progress_for_user(request.user, pk, run)
    return render(request, "results/_run_progress.html",
                  {"r": found.as_dict() | found.progress_dict(),
                   "cycle": found.cycle})


def report(request, fmt):
    """``/results/report.html`` or ``.pdf`` (``?cycle=``, ``?run=``, ``?city=``)."""
    from rightsmarker.reports import PdfError, build_report, find_chromium

    cycle, run_id = run_query(request)
    run = chosen_run(request.user, cycle, run_id)
    code = request.GET.get("city") or None
    scored = scored_units(run)
    if code:
        city, _can_write = get_city_for_user(request.user, code)
        if city.code not in scored:
            return not_reported(no_scores_message(city, run))  # says why in full
    if fmt == "pdf":
        try:
            find_chromium()
        except PdfError:
            return unavailable()
    try:  # the cities scored in the run's period (not those with earlier values only)
        body = build_report(load_result(run), period=run.period,
                            cities=[code] if code else sorted(scored),
                            uncertainty=uncertainty_tables(run), gaps=load_gaps(run),
                            lang=lang(), format=fmt)
    except PdfError:
        return unavailable()
    except RightsMarkerError as exc:
        return not_reported(_("No report: %(reason)s") % {"reason": exc})
    kind = "application/pdf" if fmt == "pdf" else "text/html; charset=utf-8"
    response = HttpResponse(body, content_type=kind)
    name = f"report-{run.period}{'-' + code if code else ''}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def not_reported(text: str) -> HttpResponse:
    """A report that cannot be made from the run (404), saying why."""
    return HttpResponse(text, status=404, content_type="text/plain; charset=utf-8")


def unavailable() -> HttpResponse:
    text = _("PDF reports need a Chromium browser on the server (apt-get install chromium); "
             "download the HTML report instead.")
    return HttpResponse(text, status=503, content_type="text/plain; charset=utf-8")


def plotly_js(request, version):
    """plotly.js from the installed plotly package (never a CDN), cached for a year."""
    from rightsmarker import charts

    if version != charts.plotly_js_version():
        raise Http404
    response = FileResponse(open(charts.plotly_js_path(), "rb"),  # noqa: SIM115
                            content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
