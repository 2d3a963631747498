"""The long observation table and the unit table of a cycle, from the database.

A cycle is scored on its approved and published values together with those of the earlier
cycles of the same framework version (so trends and changes since the last cycle exist);
``unit`` is the city code and ``period`` the cycle's year.
"""

from __future__ import annotations

import pandas as pd

from ..network.models import City
from ..reporting.models import Cycle, Submission, Value

COLUMNS = ["unit", "period", "indicator", "group", "value", "text", "source", "note", "flag"]
FIELDS = ["submission__city__code", "submission__cycle__year", "indicator", "group",
          "value_number", "value_text", "source", "note", "flag"]
STATUSES = (Submission.Status.APPROVED, Submission.Status.PUBLISHED)
UNIT_COLUMNS = ["unit", "name", "name_en", "name_ko", "country", "region", "population",
                "peer_group", "fictional"]


def cycles_scored_with(cycle: Cycle) -> list[Cycle]:
    """The cycle and the earlier cycles of its framework version (one per year, latest wins)."""
    earlier = (Cycle.objects.filter(framework_version=cycle.framework_version_id,
                                    year__lt=cycle.year).order_by("year", "created_at"))
    by_year = {c.year: c for c in earlier}
    return [*by_year.values(), cycle]


def observations_for(cycle: Cycle, statuses=STATUSES) -> pd.DataFrame:
    """Approved and published values of ``cycle`` and its earlier cycles (long table);
    ``statuses``: the submission statuses read (published only for open data)."""
    rows = (Value.objects
            .filter(submission__cycle__in=cycles_scored_with(cycle),
                    submission__status__in=statuses)
            .order_by("submission__cycle__year", "pk").values_list(*FIELDS))
    frame = pd.DataFrame(list(rows), columns=COLUMNS)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    frame["period"] = frame["period"].astype("int64")
    for col in ("text", "source", "note", "flag"):
        frame[col] = frame[col].fillna("").astype(str)
    return frame.drop_duplicates(["unit", "period", "indicator", "group"], keep="last")\
        .reset_index(drop=True)


def units_frame(codes=None) -> pd.DataFrame:
    """City attributes as a unit table (names for charts, region, size, peer group)."""
    cities = City.objects.all() if codes is None else City.objects.filter(code__in=list(codes))
    rows = [{"unit": c.code, "name": c.name_en, "name_en": c.name_en,
             "name_ko": c.name_ko or c.name_en, "country": c.country, "region": c.region,
             "population": float(c.population) if c.population else float("nan"),
             "peer_group": c.peer_group, "fictional": c.fictional} for c in cities]
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)
