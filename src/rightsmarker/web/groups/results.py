"""Reading a finished discovery job's files for its page and data twins."""

from __future__ import annotations

import json

import pandas as pd

from rightsmarker.discovery import COLUMNS

from .charts import interval_chart
from .forms import canonical
from .models import DiscoveryJob
from .report import records

SHOWN = 200  # rows on the page (the CSV twin and subgroups.csv have all)
CHARTED = 15
RESULT_COLUMNS = [*COLUMNS, "score"]


def subgroups(job: DiscoveryJob) -> pd.DataFrame:
    """The job's ``subgroups.csv`` (an empty frame when the job has no results)."""
    path = job.results_path() / "subgroups.csv"
    if not job.finished_ok or not path.exists():
        return pd.DataFrame(columns=RESULT_COLUMNS)
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    frame["flagged"] = frame["flagged"].astype(str).str.lower().eq("true")
    return frame


def summary(job: DiscoveryJob) -> dict:
    path = job.results_path() / "summary.json"
    if not job.finished_ok or not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def flagged_definitions(job: DiscoveryJob) -> dict[str, str]:
    """Canonical form -> definition as discovered, for the job's flagged groups."""
    frame = subgroups(job)
    return {canonical(d): d for d in frame.loc[frame["flagged"], "definition"]}


def page_context(job: DiscoveryJob, promoted: set[str]) -> dict:
    """Rows, counts, chart and summary for the job page (``promoted``: canonical definitions
    already followed by the job's city)."""
    frame = subgroups(job)
    rows = records(frame.head(SHOWN), [c for c in RESULT_COLUMNS if c in frame.columns])
    for row in rows:
        row["canonical"] = canonical(row["definition"])
        row["promoted"] = row["canonical"] in promoted
    info = summary(job)
    learned = info.get("learned", {})
    return {"rows": rows, "n_groups": len(frame), "n_flagged": int(frame["flagged"].sum()),
            "chart": interval_chart(rows[:CHARTED]) if rows else None,
            "outcome_type": learned.get("outcome_type_"),
            "estimate_all": learned.get("estimate_all_"),
            "rows_used": learned.get("rows_used_"), "counts": info.get("counts", {})}
