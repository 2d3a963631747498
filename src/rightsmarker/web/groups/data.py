"""Observations from the database, in the library's contract, for gaps and other analyses.

:func:`observations_from_db` turns approved and published values into the long observation table
of :mod:`rightsmarker.observations` (``unit, period, indicator, group, value, text, source, note,
flag``): ``unit`` is the city code, ``period`` the cycle's year. Other apps may reuse it::

    from rightsmarker.web.groups.data import observations_from_db, framework_for

    obs = observations_from_db(cities=["aranvale"], user=request.user)
    table = rightsmarker.gaps.gaps(obs, framework_for(obs))

Without ``user`` every approved and published value is read (for commands and batch jobs); with
``user`` only what that user may see: published values for everyone, approved ones too for the
members of their city, and every approved value for the secretariat.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from django.db.models import Q

from ..accounts.roles import roles_of
from ..reporting.models import Cycle, Submission, Value

COLUMNS = ["unit", "period", "indicator", "group", "value", "text", "source", "note", "flag"]
STATUSES = (Submission.Status.APPROVED, Submission.Status.PUBLISHED)
FIELDS = {"submission__city__code": "unit", "submission__cycle__year": "period",
          "indicator": "indicator", "group": "group", "value_number": "value",
          "value_text": "text", "source": "source", "note": "note", "flag": "flag"}


def visible_statuses(user) -> Q:
    """The submissions whose values ``user`` may analyse (a filter on ``Submission``)."""
    roles = roles_of(user)
    published = Q(status=Submission.Status.PUBLISHED)
    if roles.is_secretariat:
        return Q(status__in=STATUSES)
    if roles.city_ids:
        return published | Q(status=Submission.Status.APPROVED, city_id__in=list(roles.city_ids))
    return published


def observations_from_db(cycles: Iterable | None = None, cities: Iterable | None = None, *,
                         user=None) -> pd.DataFrame:
    """The long observation table of approved and published values.

    ``cycles``: cycle objects or ids (default all); ``cities``: city codes (default all);
    ``user``: restrict to what the user may see (see the module). When two cycles share a year,
    the value of the later-created cycle wins, so each unit, period, indicator and group has one
    row. The frame also carries ``cycle`` (the cycle id) and ``framework_version`` (its id), used
    by :func:`framework_for`; ``value`` is a float (missing for text values).
    """
    subs = Submission.objects.filter(status__in=STATUSES)
    if user is not None:
        subs = subs.filter(visible_statuses(user))
    if cycles is not None:
        subs = subs.filter(cycle__in=[getattr(c, "pk", c) for c in cycles])
    if cities is not None:
        subs = subs.filter(city__code__in=list(cities))
    rows = (Value.objects.filter(submission__in=subs)
            .order_by("submission__cycle__created_at", "submission__cycle_id", "pk")
            .values_list(*FIELDS, "submission__cycle_id",
                         "submission__cycle__framework_version_id"))
    frame = pd.DataFrame(list(rows), columns=[*COLUMNS, "cycle", "framework_version"])
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    frame["period"] = frame["period"].astype("int64")
    keys = ["unit", "period", "indicator", "group"]
    return frame.drop_duplicates(keys, keep="last").reset_index(drop=True)


def framework_for(observations: pd.DataFrame):
    """The framework of the most recent cycle in ``observations`` (None when it is empty).

    It decides the indicators' directions and expected grounds for the whole table: indicators
    it does not know are left out of the gaps.
    """
    if observations.empty:
        return None
    latest = observations.sort_values(["period", "cycle"]).iloc[-1]
    cycle = Cycle.objects.select_related("framework_version").get(pk=int(latest["cycle"]))
    return cycle.framework_version.as_framework()
