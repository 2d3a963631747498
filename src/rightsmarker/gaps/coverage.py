"""Disaggregation coverage: are the data broken down by the grounds the framework expects?

For each unit, period and indicator with at least one value, the grounds the framework expects
(``Node.disaggregations``) are compared with the grounds reported (a ground is reported when at
least one group over it, alone or crossed with others, has a value):

- ``fully`` disaggregated: every expected ground is reported;
- ``partly``: some but not all;
- ``not``: none.

Indicators without expected grounds are left out. :func:`coverage_summary` counts the statuses
per unit (optionally per period) and names the grounds missing most often.
"""

from __future__ import annotations

import pandas as pd

from ._input import KEYS, explode_grounds, plain, prepare

STATUSES = ("fully", "partly", "not")
COVERAGE_COLUMNS = [
    *KEYS, "expected", "reported", "missing", "extra", "n_expected", "n_reported",
    "has_total", "n_groups", "status",
]


def expected_grounds(framework) -> pd.DataFrame:
    """``indicator, ground`` pairs: the grounds each indicator should be disaggregated by."""
    pairs = [(n.code, g) for n in framework.indicators for g in n.disaggregations]
    return pd.DataFrame(pairs, columns=["indicator", "ground"]).drop_duplicates()


def disaggregation_coverage(observations, framework=None, *, periods=None) -> pd.DataFrame:
    """Coverage per unit, period and indicator (columns in ``COVERAGE_COLUMNS``).

    ``expected``, ``reported``, ``missing`` (expected, not reported) and ``extra`` (reported,
    not expected) are ground codes joined by ``;`` in alphabetical order.
    """
    df, fw = prepare(observations, framework, periods)
    df = plain(df)
    if fw is None:
        raise TypeError("disaggregation_coverage needs a framework (the expected grounds)")
    df = df[df["value"].notna()]
    expected = expected_grounds(fw)
    keys = df.groupby(KEYS, as_index=False).agg(
        has_total=("group", lambda g: (g == "total").any()),
        n_groups=("group", lambda g: int((g != "total").sum())),
    )
    keys = keys[keys["indicator"].isin(expected["indicator"])]
    want = keys[KEYS].merge(expected, on="indicator")
    got = explode_grounds(df, KEYS).merge(keys[KEYS], on=KEYS)
    both = want.merge(got, on=[*KEYS, "ground"], how="outer", indicator="_where")
    both = both.sort_values([*KEYS, "ground"], kind="stable")
    where = both["_where"].astype(str)
    table = keys.set_index(KEYS)
    table["expected"] = _joined(both[where != "right_only"])
    table["reported"] = _joined(both[where != "left_only"])
    table["missing"] = _joined(both[where == "left_only"])
    table["extra"] = _joined(both[where == "right_only"])
    table = table.fillna({c: "" for c in ("expected", "reported", "missing", "extra")})
    table["n_expected"] = _count(table["expected"])
    table["n_reported"] = table["n_expected"] - _count(table["missing"])
    full = table["n_reported"] == table["n_expected"]
    table["status"] = "partly"
    table.loc[full, "status"] = "fully"
    table.loc[table["n_reported"] == 0, "status"] = "not"
    return table.reset_index()[COVERAGE_COLUMNS]


def coverage_summary(coverage: pd.DataFrame, *, by_period: bool = False) -> pd.DataFrame:
    """Per unit (and period): counts and shares of fully / partly / not disaggregated
    indicator-periods, and the missing grounds with how often each is missing."""
    keys = ["unit", "period"] if by_period else ["unit"]
    counts = pd.crosstab([coverage[k] for k in keys], coverage["status"])
    counts = counts.reindex(columns=list(STATUSES), fill_value=0)
    counts.columns.name = None
    counts.insert(0, "n", counts.sum(axis=1))
    counts["share_fully"] = counts["fully"] / counts["n"]
    miss = coverage.loc[coverage["missing"] != "", [*keys, "missing"]]
    miss = miss.assign(ground=miss["missing"].str.split(";")).explode("ground")
    freq = miss.groupby([*keys, "ground"]).size().rename("k").reset_index()
    freq = freq.sort_values([*keys, "k", "ground"], ascending=[*[True] * len(keys), False, True])
    text = (freq["ground"] + " (" + freq["k"].astype(str) + ")").groupby(
        [freq[k] for k in keys]).agg(", ".join)
    counts["missing_grounds"] = text.reindex(counts.index).fillna("")
    return counts.reset_index()


def _joined(part: pd.DataFrame) -> pd.Series:
    return part.groupby(KEYS)["ground"].agg(";".join)


def _count(joined: pd.Series) -> pd.Series:
    return joined.str.count(";").add(1).where(joined != "", 0).astype(int)
