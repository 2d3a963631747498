"""Reading a finished discovery job's files for its page and data twins."""

from __future__ import annotations

import json

import pandas as pd

from rightsmarker.discovery import COLUMNS
from rightsmarker.discovery.waves import WAVE_COLUMNS

from .charts import interval_chart
from .forms import canonical
from .models import DiscoveryJob
from .report import records

SHOWN = 200  # rows on the page (the CSV twin and subgroups.csv have all)
CHARTED = 15
RESULT_COLUMNS = [*COLUMNS, "score"]
EMERGING_COLUMNS = [c for c in WAVE_COLUMNS if c != "folded_into"]


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


def emerging(job: DiscoveryJob) -> pd.DataFrame:
    """A waves job's ``emerging.csv``: flagged groups not folded into another, best first."""
    path = job.results_path() / "emerging.csv"
    if not job.finished_ok or not path.exists():
        return pd.DataFrame(columns=EMERGING_COLUMNS)
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""],
                        dtype={"folded": str, "status": str, "folded_into": str})
    frame["flagged"] = frame["flagged"].astype(str).str.lower().eq("true")
    frame["folded"] = frame["folded"].fillna("")
    return frame


def flagged_definitions(job: DiscoveryJob) -> dict[str, str]:
    """Canonical form -> definition as discovered, for the job's flagged groups (a waves
    job: its emerging groups)."""
    if job.is_waves:
        return {canonical(d): d for d in emerging(job)["definition"]}
    frame = subgroups(job)
    return {canonical(d): d for d in frame.loc[frame["flagged"], "definition"]}


def waves_context(job: DiscoveryJob, promoted: set[str]) -> dict:
    """Emerging groups with the chart of their change of gap, for the job page."""
    frame = emerging(job)
    rows = records(frame.head(SHOWN), [c for c in EMERGING_COLUMNS if c in frame.columns])
    for row in rows:
        row["canonical"] = canonical(row["definition"])
        row["promoted"] = row["canonical"] in promoted
        row["folded_list"] = [d for d in (row["folded"] or "").split(" | ") if d]
    chart_rows = [{"definition": r["definition"], "estimate": r["change"],
                   "ci_low": r["ci_low"], "ci_high": r["ci_high"], "rest_estimate": None,
                   "flagged": True} for r in rows[:CHARTED]]
    info = summary(job)
    return {"rows": rows, "n_emerging": len(frame),
            "chart": interval_chart(chart_rows) if chart_rows else None,
            "counts": info.get("counts", {}),
            "outcome_type": info.get("learned", {}).get("outcome_type_")}


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
            "chart": interval_chart(rows[:CHARTED], percent=learned.get("outcome_type_")
                                    == "binary") if rows else None,
            "outcome_type": learned.get("outcome_type_"),
            "estimate_all": learned.get("estimate_all_"),
            "rows_used": learned.get("rows_used_"), "counts": info.get("counts", {})}
