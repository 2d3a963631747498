"""The network dashboard and the city profile, each with ``.json`` and ``.csv`` twins."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from ..accounts.roles import roles_of
from ..network.access import get_city_for_user
from ..reporting.access import visible_submissions
from ..reporting.models import Value
from ..twins import respond
from .access import chosen_run, visible_runs
from .services import (
    cached,
    cached_object,
    load_result,
    scored_units,
    stored,
    uncertainty_tables,
    unit_codes,
    unit_gaps,
)
from .tables import (
    INDICATOR_COLUMNS,
    NETWORK_COLUMNS,
    SIZE_BANDS,
    clean,
    clean_rows,
    gap_indicators,
    indicator_rows,
    label_of,
    level_matrix,
    network_frame,
    theme_rows,
    unit_table,
)

FILTERS = ("region", "size", "peer_group")
GAP_COLUMNS = ["indicator", "group", "value", "reference_value", "gap", "relative_gap", "worse",
               "gap_change"]


def lang() -> str:
    return "ko" if (get_language() or "en").startswith("ko") else "en"


def chart(fig) -> str:
    from rightsmarker import charts

    return charts.to_html(fig, include_js=False)


def common(run) -> dict:
    from rightsmarker import charts

    return {"run": run, "colours": charts.COLOURS, "plotly_src": plotly_src(),
            "uncertainty": run.has_uncertainty if run else False}


def plotly_src() -> str:
    from rightsmarker import charts

    return reverse("results-plotly", args=[charts.plotly_js_version()])


def run_query(request) -> tuple[str | None, str | None]:
    return request.GET.get("cycle") or None, request.GET.get("run") or None


def dashboard(request, fmt):
    """``/results/``: cities x themes heat map, recognition levels, filters; twins."""
    cycle, run_id = run_query(request)
    try:
        run = chosen_run(request.user, cycle, run_id)
    except Http404:
        if cycle or run_id:
            raise
        run = None
    filters = {k: request.GET.get(k, "").strip() for k in FILTERS}
    if run is None:
        return respond(request, fmt, "results/dashboard.html", {**common(None), "rows": []},
                       data={"run": None, "columns": NETWORK_COLUMNS, "rows": []}, rows=[],
                       columns=NETWORK_COLUMNS, filename="results")
    result = load_result(run)
    frame = network_frame(run, result, lang(), filters)
    rows = clean_rows(frame, NETWORK_COLUMNS)
    data = {"run": run.as_dict(), "period": run.period, "filters": filters,
            "columns": NETWORK_COLUMNS, "rows": rows}
    context = {}
    if fmt == "/":
        context = dashboard_context(request, run, result, frame, filters)
    return respond(request, fmt, "results/dashboard.html", context, data=data, rows=rows,
                   columns=NETWORK_COLUMNS, filename=f"results-{run.period}")


def dashboard_context(request, run, result, frame, filters) -> dict:
    from rightsmarker import charts

    units = unit_table(run)
    nodes = list(dict.fromkeys(frame["node"])) if not frame.empty else []
    heat = None
    if not frame.empty:
        units_shown = list(dict.fromkeys(frame["unit"]))
        heat = cached(run, f"heatmap:{lang()}:{','.join(sorted(units_shown))}",
                      lambda: chart(charts.heatmap(result, run.period, lang=lang(), title="",
                                                   units=units_shown)))
    return {**common(run), "heatmap": heat, "filters": filters,
            "nodes": [{"code": n, "label": frame.loc[frame["node"] == n, "node_label"].iloc[0]}
                      for n in nodes],
            "levels": level_cells(level_matrix(frame, nodes), colour_words()),
            "regions": sorted(r for r in units["region"].unique() if r),
            "peer_groups": sorted(p for p in units["peer_group"].unique() if p),
            "sizes": [(code, label) for code, _low, label in SIZE_BANDS
                      if code in set(units["size"])],
            "runs": visible_runs(request.user).order_by("-cycle__year", "-created_at")[:20],
            "query": request.GET.urlencode()}


def level_cells(rows: list[dict], words: dict) -> list[dict]:
    """The levels table's cells with their swatch class and colour in words (put in Python
    once per cell instead of a template include per cell); a city without a node's score
    gets a grey "no data" cell."""
    for row in rows:
        row["cells"] = [(cell or {}) | {"swatch": (cell or {}).get("colour") or "grey",
                                        "colour_word": words.get((cell or {}).get("colour"),
                                                                 words[None])}
                        for cell in row["cells"]]
    return rows


def city_profile(request, code, fmt):
    """``/results/city/<code>/``: themes, indicators, groups, evidence; twins."""
    city, _ = get_city_for_user(request.user, code)
    cycle, run_id = run_query(request)
    run = chosen_run(request.user, cycle, run_id)
    if city.code not in unit_codes(run):
        raise Http404
    scored = city.code in scored_units(run)
    if scored:
        parts = stored(run, profile_name(city.code, lang()),
                       lambda: profile_page(run, city.code, lang()))
    else:  # values of earlier cycles only: nothing to show for the run's period
        parts = {"themes": [], "indicators": [], "groups": [], "body": ""}
    data = {"run": run.as_dict(), "city": city.as_dict(), "period": run.period,
            "scored": scored, "themes": parts["themes"], "indicators": parts["indicators"],
            "groups": parts["groups"], "evidence": evidence_rows(request.user, city, run)}
    if not scored:
        data["message"] = no_scores_message(city, run)
    context = {}
    if fmt == "/":
        context = {**common(run), "city": city,
                   "content": profile_content(request, city, run, parts, data)}
    return respond(request, fmt, "results/profile.html", context, data=data,
                   rows=parts["indicators"], columns=INDICATOR_COLUMNS,
                   filename=f"results-{city.code}-{run.period}")


def no_scores_message(city, run) -> str:
    """Why a city of the run has no profile in it: no values of its own in the run's cycle."""
    from django.utils.translation import gettext as _

    return _("No scores for %(city)s in this run: the city has no approved or published "
             "values in this cycle (%(cycle)s, period %(period)s).") % {
        "city": city.name, "cycle": run.cycle.label, "period": run.period}


def profile_content(request, city, run, parts: dict, data: dict) -> str:
    """The HTML of the profile's main content. What a visitor sees (no secretariat or member
    evidence) is the same for every visitor: kept per run, city (and its name), cycle name,
    language, query and state of the city's practices."""
    practices_state, practices = practices_section(city)
    query = request.GET.urlencode()
    context = {**data, **common(run), "city": city, "query": query, "body": parts["body"],
               "practices_url": practices_url(city.code), "practices": practices}

    def render() -> str:
        return render_to_string("results/_profile_content.html", context, request)

    if not shared_evidence(request.user, city, run):
        return render()
    key = (f"content:{city.code}:{lang()}:{city.name}:{run.cycle.label}:{query}:"
           f"{practices_state}")
    return cached(run, key, render)


def profile_name(unit: str, language: str) -> str:
    """The name of a city's stored profile parts in the run's folder (``pages/<name>.json``)."""
    return f"profile-{unit}-{language}-{pages_digest()}"


@functools.cache
def pages_digest() -> str:
    """A digest of what the stored profile parts depend on besides the run: the package
    version, the templates of the profile body and the Korean catalogue (a new release or an
    edited template never serves an old stored page)."""
    from django.template.loader import get_template

    from rightsmarker import __version__

    digest = hashlib.sha256(__version__.encode())
    for name in ("results/_profile_body.html", "results/_colour.html", "results/_arrow.html"):
        digest.update(get_template(name).template.source.encode())
    catalogue = Path(__file__).parent / "locale" / "ko" / "LC_MESSAGES" / "django.mo"
    if catalogue.exists():
        digest.update(catalogue.read_bytes())
    return digest.hexdigest()[:12]


def profile_page(run, unit: str, language: str) -> dict:
    """The rows of a city profile and the HTML of its themes, indicators and groups: the same
    for every visitor, stored per run, city and language (:func:`services.stored`)."""
    parts = profile_parts(run, unit, language)
    body = profile_body(run, unit, parts)
    return {"themes": parts["themes"], "indicators": parts["indicators"],
            "groups": parts["groups"], "body": str(body)}


def practices_url(code: str) -> str | None:
    """The city's good practices (the practices app's search), when that app is installed."""
    from django.urls import NoReverseMatch

    try:
        return reverse("practices:search") + f"?city={code}"
    except NoReverseMatch:
        return None


def practices_section(city) -> tuple[str, str | None]:
    """``(state, html)``: the city's published good practices (the practices app's own
    section; html None when that app is not installed) and a text that changes whenever they
    do. Practices change independently of score runs: the section is rendered again whenever the
    number of the city's published practices or their latest change differs (one small
    query otherwise)."""
    from django.apps import apps
    from django.db.models import Count, Max

    if not apps.is_installed("rightsmarker.web.practices"):
        return "", None
    from ..practices.models import PracticeRecord
    from ..practices.templatetags.practices_tags import city_practices

    state = PracticeRecord.objects.filter(city=city, status="published").aggregate(
        n=Count("pk"), latest=Max("updated_at"))
    key = ("practices", city.pk, lang(), state["n"], str(state["latest"]))
    return f"{state['n']}-{state['latest']}", cached_object(
        key, lambda: render_to_string("practices/_city_practices.html", city_practices(city)))


def profile_parts(run, unit: str, language: str) -> dict:
    """The rows of a city profile (the same for every visitor; cached per run)."""
    result = load_result(run)
    gap_rows, gap_inds = group_rows(run, unit)
    return {"themes": theme_rows(run, result, unit, language),
            "indicators": indicator_rows(run, result, unit, language),
            "groups": gap_rows, "gap_inds": gap_inds}


def group_rows(run, unit: str) -> tuple[list[dict], list[str]]:
    from rightsmarker import charts

    gaps = unit_gaps(run, unit)
    if gaps.empty:
        return [], []
    indicators = gap_indicators(gaps, unit, run.period)
    fw, language = load_result(run).framework, lang()
    rows = []
    for ind in indicators:
        rows += clean_rows(charts.group_gaps_frame(gaps, unit, ind, run.period), GAP_COLUMNS)
    for r in rows:  # the words the page shows; the twins keep the codes too
        r["group_label"] = charts.group_label(r["group"], fw, language)
        r["indicator_label"] = label_of(fw, r["indicator"], language)
    return rows, indicators


def colour_words() -> dict:
    """Dashboard colours and trend arrows in words, in the current language (the profile's
    rows get them once instead of a template include per row)."""
    from django.utils.translation import gettext as _

    return {"green": _("green"), "yellow": _("yellow"), "orange": _("orange"), "red": _("red"),
            None: _("no data"), "on_track": _("on track"),
            "moderately_improving": _("moderately improving"), "stagnating": _("stagnating"),
            "decreasing": _("decreasing")}


def with_words(rows: list[dict], words: dict) -> list[dict]:
    return [row | {"colour_word": words.get(row.get("colour"), words[None]),
                   "arrow_word": words.get(row.get("arrow"), words[None])} for row in rows]


def profile_body(run, unit: str, parts: dict) -> str:
    """The HTML of the themes, indicators and groups (the same for every visitor)."""
    words = colour_words()
    context = {"themes": with_words(parts["themes"], words),
               "indicators": with_words(parts["indicators"], words),
               "groups": parts["groups"], "uncertainty": run.has_uncertainty,
               "charts": profile_charts(run, unit, parts["gap_inds"])}
    return render_to_string("results/_profile_body.html", context)


def profile_charts(run, unit: str, gap_inds: list[str]) -> dict:
    from rightsmarker import charts

    result = load_result(run)
    ua = uncertainty_tables(run)
    stats = ua["score_stats"] if ua else None
    language = lang()
    out = {"bars": chart(charts.profile_bars(result, unit, run.period, score_stats=stats,
                                             lang=language, title="")),
           "radar": chart(charts.radar(result, unit, run.period, score_stats=stats,
                                       lang=language, title="")),
           "groups": []}
    gaps = unit_gaps(run, unit) if gap_inds else None
    names = charts.unit_names(result, language)  # the city's name in the titles, not its code
    for ind in gap_inds:
        out["groups"].append(chart(charts.group_gaps(
            gaps, unit, ind, run.period, framework=result.framework, lang=language,
            names=names)))
    return out


def evidence_rows(user, city, run) -> list[dict]:
    """Evidence of the city's values in the run's cycle that ``user`` may see. What visitors
    see (published submissions of a published cycle, which cannot change) is cached."""
    if not shared_evidence(user, city, run):
        return _evidence_rows(user, city, run)
    return cached(run, f"evidence:{city.code}", lambda: _evidence_rows(user, city, run))


def shared_evidence(user, city, run) -> bool:
    """Whether ``user`` sees what every visitor sees of the city's evidence in the run's cycle
    (not the secretariat nor the city's members, and the cycle is published)."""
    roles = roles_of(user)
    return not (roles.is_secretariat or roles.is_member(city.pk)
                or run.cycle.status != "published")


def _evidence_rows(user, city, run) -> list[dict]:
    subs = visible_submissions(user).filter(city=city, cycle=run.cycle)
    values = (Value.objects.filter(submission__in=subs)
              .exclude(evidence_url="", evidence_file="").order_by("indicator", "group"))
    rows = []
    for v in values:
        file_url = (reverse("value-evidence", args=[v.submission_id, v.pk])
                    if v.evidence_file else None)
        rows.append({"indicator": v.indicator, "group": v.group, "source": v.source,
                     "evidence_url": v.evidence_url or None, "evidence_file": file_url,
                     "submission": v.submission_id, "value": clean(v.value_number)})
    return rows
