"""Gap pages: who is left behind in a city, and the network at a glance (with data twins).

Access: every city's page is public; the values behind it depend on the user
(:func:`.data.observations_from_db` with ``user``): published values for everyone, approved ones
too for the city's members, every approved value for the secretariat.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..network.access import get_city_for_user
from ..network.models import City
from ..twins import respond
from .access import may_follow_groups
from .data import framework_for, observations_from_db
from .models import MonitoredGroup
from .report import (
    GAP_COLUMNS,
    SUMMARY_COLUMNS,
    WIDEN_THRESHOLD,
    WORSEN_THRESHOLD,
    city_report,
    network_rows,
)

THRESHOLDS = {"worsen_threshold": WORSEN_THRESHOLD, "widen_threshold": WIDEN_THRESHOLD}


def language() -> str:
    return "ko" if (get_language() or "en").startswith("ko") else "en"


def network(request, fmt: str = "/"):
    """Per city: its latest period, alerts then, and how fully its values are disaggregated."""
    region = request.GET.get("region", "").strip()
    regions = sorted(set(City.objects.exclude(region="").values_list("region", flat=True)))
    cities = City.objects.all()
    if region:
        cities = cities.filter(region=region)
    cities = list(cities)
    obs = observations_from_db(cities=[c.code for c in cities], user=request.user)
    rows = network_rows(obs, framework_for(obs), cities, language())
    data = {"region": region or None, "thresholds": THRESHOLDS, "cities": rows}
    query = "?" + urlencode({"region": region}) if region else ""
    context = {"rows": rows, "regions": regions, "region": region, "query": query}
    return respond(request, fmt, "groups/network.html", context, data=data, rows=rows,
                   columns=SUMMARY_COLUMNS, filename="groups-network")


def city(request, code: str, fmt: str = "/"):
    """A city's groups: alerts first, coverage and gaps per indicator, monitored groups."""
    city, _can_write = get_city_for_user(request.user, code)
    obs = observations_from_db(cities=[city.code], user=request.user)
    monitored = list(city.monitored_groups.select_related("source_job"))
    report = city_report(obs, framework_for(obs), city.code, language(),
                         [m.definition for m in monitored], city_name=city.name)
    followed = []
    for group in monitored:
        rows = [r for r in report["monitored_rows"] if r["group"] == group.definition]
        followed.append({"group": group, "rows": rows})
    data = {"city": city.as_dict(), "period": report["period"], "thresholds": THRESHOLDS,
            "alerts": report["alerts"],
            "indicators": [{k: b[k] for k in ("code", "label", "period", "total", "coverage",
                                              "rows")} for b in report["indicators"]],
            "monitored_groups": [m.as_dict() for m in monitored], "gaps": report["gap_rows"]}
    context = {"city": city, "report": report, "followed": followed,
               "may_follow": may_follow_groups(request.user, city)}
    return respond(request, fmt, "groups/city.html", context, data=data,
                   rows=report["gap_rows"], columns=GAP_COLUMNS, filename=f"gaps-{city.code}")


@require_POST
def monitored_remove(request, code: str, pk: int):
    """Stop following a group (the secretariat and the city's editors)."""
    city, _can_write = get_city_for_user(request.user, code)
    if not may_follow_groups(request.user, city):
        raise PermissionDenied
    group = get_object_or_404(MonitoredGroup, pk=pk, city=city)
    group.delete()
    messages.success(request, _("The group %(group)s is no longer followed.")
                     % {"group": group.label or group.definition})
    return redirect("groups:city", code=city.code, fmt="/")
