"""Shared input handling for gap monitoring: observations in, a tidy long frame out.

Accepts an :class:`~rightsmarker.observations.Observations` object (``.data`` and
``.framework``) or a long DataFrame following the observations contract plus a framework.
Optional uncertainty columns are kept: ``se`` (standard error) or ``ci_low`` / ``ci_high``
(95% confidence bounds, turned into a standard error as ``(ci_high - ci_low) / (2 * 1.96)``).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..errors import ObservationError, Problem

KEYS = ["unit", "period", "indicator"]
SERIES = ["unit", "indicator", "group"]
Z95 = 1.959963984540054
REQUIRED = ("unit", "period", "indicator", "group", "value")


def unpack(observations, framework=None) -> tuple[pd.DataFrame, object]:
    """The long DataFrame and the framework of ``observations`` (``framework`` wins if given)."""
    data = getattr(observations, "data", observations)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"expected Observations or a DataFrame, got {type(observations).__name__}"
        )
    fw = framework if framework is not None else getattr(observations, "framework", None)
    return data, fw


def prepare(observations, framework=None, periods=None) -> tuple[pd.DataFrame, object]:
    """Columns ``unit, period, indicator, group, grounds, value, se, direction``, text indicators
    dropped, optionally restricted to ``periods``; checks the keys are unique."""
    data, fw = unpack(observations, framework)
    missing = [c for c in REQUIRED if c not in data.columns]
    if missing:
        raise ObservationError(
            "the observation table lacks required columns",
            [Problem("missing column", column=c, expected="a column named " + c) for c in missing],
        )
    cols = {
        "unit": data["unit"].to_numpy(), "period": data["period"].to_numpy(),
        "indicator": data["indicator"].to_numpy(),
        "group": data["group"].astype(object).fillna("total").astype(str).to_numpy(),
        "value": pd.to_numeric(data["value"], errors="coerce").to_numpy(float),
        "se": standard_error(data).to_numpy(),
        "direction": _directions(data, fw),
        "_row": np.arange(len(data)),  # position in the input, for error messages
    }
    keep = ~np.isnan(cols["direction"])  # indicators of the framework (text ones dropped)
    if periods is not None:
        wanted = [periods] if np.isscalar(periods) else list(periods)
        keep &= pd.Series(cols["period"]).isin(wanted).to_numpy()
    cols = {k: v[keep] for k, v in cols.items()}
    cols["direction"] = cols["direction"].astype(int)
    cols["grounds"] = ground_key(pd.Series(cols["group"], dtype=object)).to_numpy()
    df = _keyed_frame(cols)
    _check_unique(df)
    return df, fw


def _keyed_frame(cols: dict[str, np.ndarray]) -> pd.DataFrame:
    """The frame with integer keys (codes in sorted order, so sorting by codes sorts by the
    strings): ``_u, _i, _g, _gr, _p`` and the combined ``_cell`` (unit, period, indicator)
    and ``_series`` (unit, indicator, group); merges and sorts run on these. The string
    columns become categorical (see :func:`plain`). Rows are sorted by unit, indicator,
    group and period."""
    sizes = {}
    for col, code in (("unit", "_u"), ("indicator", "_i"), ("group", "_g"), ("grounds", "_gr"),
                      ("period", "_p")):
        codes, uniques = pd.factorize(cols[col], sort=True)
        cols[code], sizes[code] = codes.astype(np.int64), max(len(uniques), 1)
        if col != "period":  # categorical inside: moving rows copies codes, not strings
            cols[col] = pd.Categorical.from_codes(codes, uniques)
    unit_ind = cols["_u"] * sizes["_i"] + cols["_i"]
    cols["_cell"] = unit_ind * sizes["_p"] + cols["_p"]
    cols["_series"] = unit_ind * sizes["_g"] + cols["_g"]
    order = np.lexsort((cols["_p"], cols["_g"], cols["_i"], cols["_u"]))
    return pd.DataFrame({k: v[order] for k, v in cols.items()})


def plain(df: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns back to plain object columns (for output)."""
    cats = [c for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)]
    return df.astype({c: object for c in cats}) if cats else df


def standard_error(data: pd.DataFrame) -> pd.Series:
    """``se`` where given, else ``(ci_high - ci_low) / (2 * 1.96)`` where both bounds are given."""
    se = pd.Series(np.nan, index=data.index, dtype=float)
    if {"ci_low", "ci_high"} <= set(data.columns):
        lo = pd.to_numeric(data["ci_low"], errors="coerce")
        hi = pd.to_numeric(data["ci_high"], errors="coerce")
        se = ((hi - lo) / (2 * Z95)).where(hi >= lo)
    if "se" in data.columns:
        given = pd.to_numeric(data["se"], errors="coerce")
        se = given.where(given.notna(), se)
    return se.astype(float)


def _directions(data: pd.DataFrame, fw) -> np.ndarray:
    """1 (higher is better) or -1 (lower is better) per row, from the framework (NaN for
    indicators it lacks and for text indicators), else from a ``direction`` column, else 1."""
    if fw is not None:
        nodes = [n for n in fw.indicators if n.value_type != "text"]
        directions = pd.Series({n.code: n.direction for n in nodes}, dtype=float)
        return data["indicator"].map(directions).to_numpy(float)
    if "direction" in data.columns:
        given = np.sign(pd.to_numeric(data["direction"], errors="coerce").fillna(1))
        return given.replace(0, 1).to_numpy(float)
    return np.ones(len(data))


def _check_unique(df: pd.DataFrame) -> None:
    dup = df.duplicated(["_cell", "_g"], keep=False)
    if not dup.any():
        return
    rows = df[dup].head(10)
    problems = [
        Problem(
            "duplicate observation",
            row=int(pos),
            value=f"{r.unit} / {r.period} / {r.indicator} / {r.group}",
            expected="one row per unit, period, indicator and group",
        )
        for pos, r in zip(rows["_row"], rows[list(REQUIRED)].itertuples(index=False), strict=True)
    ]
    raise ObservationError(f"{int(dup.sum())} duplicate observation rows", problems)


def ground_key(groups: pd.Series) -> pd.Series:
    """The grounds of canonical groups: ``"race=black;sex=female"`` -> ``"race;sex"``."""
    codes, uniques = pd.factorize(groups.astype(str))
    keys = pd.Series(uniques).str.replace(r"=[^;]*", "", regex=True)
    keys = keys.where(keys != "total", "").to_numpy(object)
    return pd.Series(keys[codes] if len(keys) else [], index=groups.index, dtype=object)


def explode_grounds(df: pd.DataFrame, cols: Iterable[str]) -> pd.DataFrame:
    """One row per (row of ``df`` restricted to ``cols``, ground) for non-total groups."""
    part = df.loc[df["group"] != "total", [*cols, "grounds"]]
    part = part.assign(ground=part["grounds"].str.split(";")).explode("ground")
    return part.drop(columns="grounds").drop_duplicates().reset_index(drop=True)


def labels(fw, lang: str = "en") -> dict[str, str]:
    """Indicator code -> label in ``lang`` (empty when there is no framework)."""
    if fw is None:
        return {}
    return {n.code: n.label(lang) for n in fw.indicators}


UNCERTAINTY = ("ci_low", "ci_high", "se")


def attach_uncertainty(observations, source, framework=None) -> pd.DataFrame:
    """The observations' long frame with the uncertainty columns (``ci_low``, ``ci_high``,
    ``se``) of ``source`` (a CSV / XLSX / Parquet path or a DataFrame) joined on unit, period,
    indicator and group; groups in ``source`` are made canonical first (``women`` ->
    ``sex=female``). For readers that keep only the standard observation columns."""
    data, fw = unpack(observations, framework)
    raw = _read_any(source)
    cols = [c for c in UNCERTAINTY if c in raw.columns]
    if not cols or all(c in data.columns for c in cols):
        return data
    raw = raw[[*KEYS, "group", *cols]].copy()
    raw["group"] = raw["group"].astype(object).fillna("total").astype(str)
    if fw is not None:
        from ..observations import canonical_group

        uniq = pd.unique(raw["group"])
        raw["group"] = raw["group"].map(dict(zip(uniq, [canonical_group(g, fw) for g in uniq],
                                                 strict=True)))
    raw["period"] = pd.to_numeric(raw["period"], errors="coerce")
    raw = raw.dropna(subset=["period"]).astype({"period": data["period"].dtype})
    raw[["unit", "indicator"]] = raw[["unit", "indicator"]].astype(str)
    raw = raw.drop_duplicates([*KEYS, "group"])
    keep = [c for c in data.columns if c not in cols]
    return data[keep].merge(raw, on=[*KEYS, "group"], how="left")


def _read_any(source) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        return source
    from pathlib import Path

    path = Path(source)
    ext = path.suffix.lower()
    if ext in (".xlsx", ".xlsm"):
        return pd.read_excel(path)
    if ext in (".parquet", ".pq"):
        return pd.read_parquet(path)
    return pd.read_csv(path, encoding="utf-8-sig", sep="\t" if ext == ".tsv" else ",")
