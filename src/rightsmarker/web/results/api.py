"""JSON endpoints for scores, recognition levels and rank statistics of score runs.

``/results/api/runs`` lists the runs the caller may see; ``/results/api/runs/<id|latest>/
scores|levels|rank-stats`` answer ``{"run": {...}, "columns": [...], "rows": [...]}``,
filtered by ``?city=``, ``?node=`` and ``?period=`` (``latest`` takes ``?cycle=``). Errors use
the API's envelope ``{"error": {"status", "code", "message", "details"}}``.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse

from .access import chosen_run, get_run_for_user, visible_runs
from .services import read_table, uncertainty_tables
from .tables import clean_rows

try:
    from ..api.errors import envelope
except ImportError:  # pragma: no cover - the api app is optional
    def envelope(status, code=None, message=None, details=None):
        return {"error": {"status": status, "code": code or "error",
                          "message": message or "Error.", "details": list(details or [])}}

TABLES = {
    "scores": ("scores", ["unit", "period", "node", "level", "score", "rank"]),
    "levels": ("levels", ["unit", "period", "node", "level", "label", "label_ko"]),
    "rank-stats": ("uncertainty/rank_stats",
                   ["unit", "period", "node", "nominal", "mean", "median", "q05", "q95"]),
}


def enveloped(view):
    """GET only; Http404, PermissionDenied and bad filters answered in the API's error envelope."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return JsonResponse(envelope(405), status=405)
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return JsonResponse(envelope(404), status=404)
        except PermissionDenied:
            return JsonResponse(envelope(403), status=403)
        except ValueError as exc:
            return JsonResponse(envelope(400, message=str(exc)), status=400)
    return wrapper


def answer(data: dict) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@enveloped
def runs(request):
    rows = [r.as_dict() for r in visible_runs(request.user).order_by("-cycle__year", "-pk")]
    return answer({"count": len(rows), "rows": rows})


@enveloped
def table(request, run, name):
    """One table of a run (``scores``, ``levels``, ``rank-stats``), filtered."""
    if name not in TABLES:
        raise Http404
    if run == "latest":
        found = chosen_run(request.user, request.GET.get("cycle") or None)
    else:
        found = get_run_for_user(request.user, run)[0]
    stored, columns = TABLES[name]
    if name == "rank-stats" and uncertainty_tables(found) is None:
        return JsonResponse(envelope(404, code="no_uncertainty", message=(
            "This run has no uncertainty analysis; score the cycle with uncertainty runs.")),
            status=404)
    frame = read_table(found, stored)
    frame = filtered(frame, request.GET)
    return answer({"run": found.as_dict(), "columns": columns,
                   "rows": clean_rows(frame, columns)})


def filtered(frame, query):
    for key, column in (("city", "unit"), ("node", "node")):
        values = query.getlist(key)
        if values:
            frame = frame[frame[column].astype(str).isin(values)]
    if query.get("period"):
        try:
            period = int(query["period"])
        except ValueError:
            raise ValueError("period must be a year, e.g. 2024") from None
        frame = frame[frame["period"] == period]
    return frame
