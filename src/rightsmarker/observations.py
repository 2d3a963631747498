"""Observation tables: one row per (unit, period, indicator, group) with a value.

:func:`read_observations` reads a CSV, XLSX (including a filled-in template from
:mod:`rightsmarker.template`) or Parquet file, or a DataFrame, checks every row against the
framework and returns :class:`Observations`. Every problem is reported at once, each naming the
file, row, column, the value found and the form expected; when anything is wrong nothing is loaded.
Checks are vectorised (per column and per unique value), never a Python loop over rows.
The rules are documented in ``docs/guide/0-observations.md``.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._obs_reading import (  # noqa: F401 - constants re-exported
    COLUMNS,
    REQUIRED,
    TEMPLATE_COLUMNS,
    _blank,
    _drop_unfilled,
    _Part,
    _read_parts,
    _select_columns,
)
from .errors import ObservationError, Problem
from .framework.model import Framework
from .groups import canonical_group, parse_group, vocabulary  # noqa: F401 - re-exported

VALUE_TYPES = ("number", "percent", "rate", "yes_no", "stage", "text")
MAX_PROBLEMS = 1000
YES_NO = {
    **dict.fromkeys(("yes", "y", "true", "1", "1.0", "예", "네"), 1.0),
    **dict.fromkeys(("no", "n", "false", "0", "0.0", "아니오", "아니요"), 0.0),
}
EXPECT_NUMBER = "a number such as 12, -3.5 or 1,234.5"
EXPECT_YES_NO = "yes or no (also y/n, true/false, 1/0, 예/아니오, 네/아니요)"
EXPECT_EMPTY = "a value, or a flag (such as 'missing') saying why the value is empty"
_THOUSANDS = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"


# ---------------------------------------------------------------- problems
class _Report:
    """Collects problems (at most MAX_PROBLEMS kept), locating rows by position."""

    def __init__(self, parts: list[_Part]):
        self.parts = parts
        self.starts = np.cumsum([0] + [len(p.frame) for p in parts])
        self.problems: list[tuple[int, int, Problem]] = []
        self.count = 0

    def locate(self, i: int) -> tuple[int, str, int]:
        """(part index, file label, spreadsheet row) of row position ``i``."""
        k = int(np.searchsorted(self.starts, i, side="right")) - 1
        part = self.parts[k]
        j = i - int(self.starts[k])
        return k, part.label, j + 2 if part.rows is None else int(part.rows[j])

    def rows_where(self, mask, message, column, raw, expected) -> None:
        """One problem per row in ``mask``; ``raw`` is the column as read (or a callable giving
        the value found); ``message`` and ``expected`` may be callables of the row position."""
        if not mask.any():
            return
        idx = np.flatnonzero(mask)
        self.count += len(idx)
        room = max(MAX_PROBLEMS - len(self.problems), 0)
        for i in idx[:room].tolist():
            v = raw(i) if callable(raw) else None if raw is None else raw.iloc[i]
            k, label, row = self.locate(i)
            self.problems.append((k, row, Problem(
                message(i) if callable(message) else message, file=label, row=row, column=column,
                value=None if _is_missing(v) else _plain(v),
                expected=expected(i) if callable(expected) else expected,
            )))

    def raise_if_any(self, name: str, what: str = "observation table") -> None:
        if not self.count:
            return
        problems = [p for _, _, p in sorted(self.problems, key=lambda t: t[:2])]
        more = self.count - len(problems)
        if more > 0:
            problems.append(Problem(f"... and {more} more problem(s) not listed", file=name))
        raise ObservationError(
            f"{name}: the {what} has problems; nothing was loaded",
            problems, hint="fix every listed cell and read the table again",
        )


def _is_missing(v: object) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _plain(v: object) -> object:
    return v.item() if isinstance(v, np.generic) else v


# ---------------------------------------------------------------- column checks
def _cell_text(v: object) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float | np.floating) and float(v).is_integer():
        return str(int(v))
    return str(v).strip()


def _factor(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, texts): ``texts[codes]`` is each cell as stripped text. A missing cell has code -1,
    which indexes the last text, ""; use per-text lookup arrays (``bad[codes]``), not ``isin``."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes, uniques = col.cat.codes.to_numpy(), col.cat.categories
    else:
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
    texts = np.array([_cell_text(v) for v in np.asarray(uniques, dtype=object)] + [""], object)
    return codes, texts


def _check_unit(col: pd.Series, rep: _Report) -> tuple[np.ndarray, np.ndarray]:
    codes, texts = _factor(col)
    rep.rows_where((texts == "")[codes], "empty unit", "unit", col,
                   "a unit code, such as a city or district code")
    return codes, texts


def _check_period(col: pd.Series, rep: _Report) -> np.ndarray:
    if isinstance(col.dtype, np.dtype) and col.dtype.kind in "iu":
        num = col.to_numpy()
        bad = (num < 1000) | (num > 9999)
        if not bad.any():
            return num.astype(np.int64, copy=False)
        rep.rows_where(bad, "the period is not a year", "period", col,
                       "a year as a whole number, such as 2023")
        return np.where(bad, 0, num).astype(np.int64)
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        num = col.to_numpy(dtype=float, na_value=np.nan)
    else:
        codes, texts = _factor(col)
        num = pd.to_numeric(pd.Series(texts), errors="coerce").to_numpy(float)[codes]
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(num) & (np.mod(num, 1) == 0) & (num >= 1000) & (num <= 9999)
    rep.rows_where(~ok, "the period is not a year", "period", col,
                   "a year as a whole number, such as 2023")
    return np.where(ok, num, 0).astype(np.int64)


def _check_indicator(col: pd.Series, fw: Framework, rep: _Report) -> tuple[np.ndarray, np.ndarray]:
    codes, texts = _factor(col)
    known = set(fw.indicator_codes)
    msgs = {}
    for j, t in enumerate(texts):
        if t in known:
            continue
        if t == "":
            msgs[j] = ("empty indicator code", "an indicator code of the framework")
        elif t in fw:
            msgs[j] = (f"{t!r} is a {fw.depth_name(fw.depth(t))}, not an indicator",
                       "the code of an indicator (a leaf of the framework)")
        else:
            close = difflib.get_close_matches(t, list(known), n=1, cutoff=0.6)
            msgs[j] = ("unknown indicator code", f"an indicator code of framework {fw.code!r}"
                       + (f"; did you mean {close[0]!r}?" if close else ""))
    bad = np.isin(np.arange(len(texts)), list(msgs))[codes]
    n = len(texts)
    rep.rows_where(bad, lambda i: msgs[codes[i] % n][0], "indicator", col,
                   lambda i: msgs[codes[i] % n][1])
    return codes, texts


def _check_group(col: pd.Series | None, fw: Framework, rep: _Report, n: int):
    if col is None:
        return np.zeros(n, np.int64), np.array(["total"], object)
    codes, texts = _factor(col)
    grounds, groups = vocabulary(fw)
    canon, msgs = [], {}
    for j, t in enumerate(texts):
        try:
            canon.append(parse_group(t, grounds, groups))
        except ValueError as exc:
            canon.append("")
            msgs[j] = str(exc)
    shown = ", ".join(list(grounds)[:6]) + (", ..." if len(grounds) > 6 else "")
    expected = (f"'total', a group code such as 'women', or ground=value parts joined with ';' "
                f"(grounds: {shown})")
    bad = np.isin(np.arange(len(texts)), list(msgs))[codes]
    rep.rows_where(bad, lambda i: msgs[codes[i] % len(texts)], "group", col, expected)
    new, uniques = pd.factorize(np.array(canon, object))
    return new[codes], np.asarray(uniques, object)


def _flags(df: pd.DataFrame, name: str) -> np.ndarray:
    """Per row: whether the optional column ``name`` has something in it."""
    if name not in df:
        return np.zeros(len(df), bool)
    codes, texts = _factor(df[name])
    return (texts != "")[codes]


# ---------------------------------------------------------------- values
def _to_number(u: pd.Series) -> np.ndarray:
    num = pd.to_numeric(u, errors="coerce").to_numpy(dtype=float, copy=True)
    th = np.isnan(num) & u.str.match(_THOUSANDS).to_numpy(dtype=bool)
    if th.any():
        num[th] = pd.to_numeric(u[th].str.replace(",", "")).to_numpy(dtype=float)
    return num


def _value_forms(col: pd.Series) -> dict:
    """Each row's value read as: empty?, a number, a percentage (``12%`` allowed), yes/no;
    for text input also the codes and case-folded tokens used to look stages up."""
    if pd.api.types.is_numeric_dtype(col):
        num = col.to_numpy(dtype=float, na_value=np.nan)
        yn = np.where((num == 0) | (num == 1), num, np.nan)
        return {"empty": np.isnan(num), "num": num, "pct": num, "yn": yn, "codes": None}
    codes, texts = _factor(col)
    codes = np.where(codes < 0, len(texts) - 1, codes)
    u = pd.Series(texts, dtype=object)
    num = _to_number(u)
    pct = num.copy()
    ends = u.str.endswith("%").to_numpy(dtype=bool)
    if ends.any():
        pct[ends] = _to_number(u[ends].str[:-1].str.strip())
    folded = u.str.casefold()
    return {"empty": (texts == "")[codes], "num": num[codes], "pct": pct[codes], "codes": codes,
            "yn": folded.map(YES_NO).to_numpy(dtype=float)[codes],
            "tokens": folded.to_numpy(dtype=object), "texts": texts}


def _number_values(f: dict, vt, filled, col, rep: _Report, value: np.ndarray) -> None:
    specs = (
        (0, "num", "not a number", EXPECT_NUMBER, None, ""),
        (1, "pct", "not a percentage", "a number from 0 to 100, such as 12.5 or 12.5%", 100.0,
         "a percentage must be from 0 to 100"),
        (2, "num", "not a rate", "a number 0 or more, such as 3.2", np.inf,
         "a rate cannot be negative"),
    )
    for t, form, msg, expected, upper, out_msg in specs:
        sel = (vt == t) & filled
        if not sel.any():
            continue
        v = f[form]
        bad = sel & ~np.isfinite(v)
        rep.rows_where(bad, msg, "value", col, expected)
        if upper is not None:
            with np.errstate(invalid="ignore"):
                out = sel & ~bad & ((v < 0) | (v > upper))
            rep.rows_where(out, out_msg, "value", col, expected)
            bad |= out
        np.copyto(value, v, where=sel & ~bad)


def _stage_tokens(node) -> dict[str, float]:
    """Stage spellings of an indicator -> stage index: codes win over labels."""
    m: dict[str, float] = {}
    for i, st in enumerate(node.stages):
        for lab in st.labels.values():
            m.setdefault(lab.strip().casefold(), float(i))
    m.update({st.code.strip().casefold(): float(i) for i, st in enumerate(node.stages)})
    return m


def _stage_values(f, vt, filled, ic, nodes, col, rep: _Report, value) -> None:
    sel = (vt == 4) & filled
    if not sel.any():
        return
    rows = np.flatnonzero(sel)
    k = np.array([len(nd.stages) if nd is not None else 0 for nd in nodes])[ic[rows]]
    iv = f["num"][rows]
    with np.errstate(invalid="ignore"):
        idx = np.where(np.isfinite(iv) & (np.mod(iv, 1) == 0) & (iv >= 0) & (iv < k), iv, np.nan)
    if f["codes"] is not None:
        ntok = len(f["tokens"])
        pair = ic[rows].astype(np.int64) * ntok + f["codes"][rows]
        pairs, inv = np.unique(pair, return_inverse=True)
        maps: dict[int, dict] = {}
        looked = np.array([
            maps.setdefault(p // ntok, _stage_tokens(nodes[p // ntok]))
            .get(f["tokens"][p % ntok], np.nan) for p in pairs.tolist()], dtype=float)[inv]
        idx = np.where(np.isnan(looked), idx, looked)
    bad = np.zeros(len(vt), bool)
    bad[rows[np.isnan(idx)]] = True

    def expected(i: int) -> str:
        nd = nodes[ic[i]]
        return (f"a stage of {nd.code!r}: {', '.join(s.code for s in nd.stages)} (a code, a label, "
                f"or the position 0-{len(nd.stages) - 1})")

    rep.rows_where(bad, lambda i: f"not a stage of indicator {nodes[ic[i]].code!r}", "value", col,
                   expected)
    ok = ~np.isnan(idx)
    value[rows[ok]] = idx[ok]


def _text_values(df: pd.DataFrame, f: dict, vt, text: np.ndarray) -> np.ndarray:
    """Fill ``text`` for text indicators (from ``value``, else ``text``); return the empty mask."""
    empty = f["empty"]
    sel = vt == 5
    if not sel.any():
        return empty
    if f["codes"] is not None:
        s = f["texts"][f["codes"][sel]]
    else:
        s = np.array([_cell_text(v) for v in f["num"][sel]], dtype=object)
    if "text" in df:
        tc, tt = _factor(df["text"])
        s = np.where(s == "", tt[tc[sel]], s)
    text[sel] = np.where(s == "", None, s)
    empty = empty.copy()
    empty[sel] = s == ""
    return empty


def _check_values(df: pd.DataFrame, fw: Framework, ic, it, rep: _Report):
    n, col = len(df), df["value"]
    known = set(fw.indicator_codes)
    nodes = [fw.node(t) if t in known else None for t in it]
    vt = np.array([VALUE_TYPES.index(nd.value_type) if nd else -1 for nd in nodes], np.int8)[ic]
    f = _value_forms(col)
    value = np.full(n, np.nan)
    text = np.empty(n, dtype=object)  # all None
    empty = _text_values(df, f, vt, text)
    rep.rows_where(empty & ~_flags(df, "flag") & (vt >= 0), "no value", "value", col, EXPECT_EMPTY)
    filled = ~empty
    _number_values(f, vt, filled, col, rep, value)
    yn = (vt == 3) & filled
    rep.rows_where(yn & np.isnan(f["yn"]), "not yes or no", "value", col, EXPECT_YES_NO)
    value[yn] = f["yn"][yn]
    _stage_values(f, vt, filled, ic, nodes, col, rep, value)
    return value, text, vt


# ---------------------------------------------------------------- duplicates and assembly
def _check_duplicates(codes: list[np.ndarray], valid: np.ndarray, rep: _Report, show) -> None:
    """Report every row whose (unit, period, indicator, group) repeats an earlier row.

    ``codes`` are small non-negative integer codes of the four key columns.
    """
    sizes = [int(c.max(initial=0)) + 1 for c in codes]
    if np.prod([float(x) for x in sizes]) < 2.0**62:
        key = codes[0].astype(np.int64)
        for c, size in zip(codes[1:], sizes[1:], strict=True):
            key *= size
            key += c
    else:  # too many combinations for one integer key
        key = pd.factorize(pd.MultiIndex.from_arrays(codes))[0].astype(np.int64)
    kv = key if valid.all() else key[valid]
    if len(kv) and np.prod([float(x) for x in sizes]) <= max(8 * len(kv), 1 << 20):
        if np.bincount(kv).max() < 2:  # counting is cheaper than hashing
            return
    dup = pd.Series(kv).duplicated(keep="first").to_numpy()
    if not dup.any():
        return
    pos = np.flatnonzero(valid)
    idx = pos[np.isin(key[pos], key[pos[dup]])]
    first = dict(zip(idx, pd.Series(idx).groupby(key[idx]).transform("first"), strict=True))
    mask = np.zeros(len(valid), bool)
    mask[pos[dup]] = True

    def message(i: int) -> str:
        k, label, row = rep.locate(first[i])
        where = f"row {row}" if k == rep.locate(i)[0] else f"{label} row {row}"
        return f"duplicate of {where}: same unit, period, indicator and group"

    rep.rows_where(mask, message, None, show, "one row per unit, period, indicator and group")


def _optional(df: pd.DataFrame, name: str) -> np.ndarray:
    if name not in df:
        return np.empty(len(df), dtype=object)  # numpy fills object arrays with None
    codes, texts = _factor(df[name])
    return np.where(texts == "", None, texts)[codes]


def _canon(codes: np.ndarray, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge codes whose texts are equal: (codes, unique texts)."""
    new, uniques = pd.factorize(texts)
    if len(uniques) == len(texts) and codes.min(initial=0) >= 0:
        return codes, np.asarray(uniques, dtype=object)  # already one code per text
    return new[codes], np.asarray(uniques, dtype=object)


def _validate(df: pd.DataFrame, fw: Framework, rep: _Report):
    """The checked long table and the integer codes of its text columns (None on errors)."""
    n = len(df)
    uc, ut = _canon(*_check_unit(df["unit"], rep))
    period = _check_period(df["period"], rep)
    ic, it = _canon(*_check_indicator(df["indicator"], fw, rep))
    gc, gt = _check_group(df["group"] if "group" in df else None, fw, rep, n)
    value, text, vt = _check_values(df, fw, ic, it, rep)
    valid = (ut != "")[uc] & (period != 0) & (vt >= 0) & (gt != "")[gc]

    def show(i: int) -> str:
        return f"{ut[uc[i]]} | {period[i]} | {it[ic[i]]} | {gt[gc[i]]}"

    pc = period - (period.min() if n else 0)  # years are 0 (invalid) or 1000-9999: small codes
    _check_duplicates([uc, pc, ic, gc], valid, rep, show)
    if rep.count:
        return pd.DataFrame(columns=list(COLUMNS)), None
    cols = {"unit": ut[uc], "period": period, "indicator": it[ic], "group": gt[gc],
            "value": value, "text": text}
    cols.update({c: _optional(df, c) for c in ("source", "note", "flag")})
    series = {k: pd.Series(v, dtype=v.dtype, copy=False) for k, v in cols.items()}
    return pd.concat(series, axis=1, copy=False), _Codes(uc, ut, ic, it, gc, gt)


def _framework(framework) -> Framework:
    if isinstance(framework, Framework):
        return framework
    from .framework.io import load_framework

    return load_framework(framework)


def read_observations(source, framework, *, sheet: str | int | None = None) -> Observations:
    """Read and check an observation table; raise :class:`ObservationError` listing every problem.

    ``source`` is a path (``.csv``, ``.xlsx``, ``.parquet``) or a DataFrame; ``framework`` a
    :class:`Framework` or anything ``load_framework`` accepts. A workbook's sheets are all read
    (except ``Instructions`` and sheets named ``_...``) unless ``sheet`` names one.
    """
    fw = _framework(framework)
    name, parts, is_template = _read_parts(source, sheet)
    _select_columns(parts, name)
    if is_template:
        for p in parts:
            _drop_unfilled(p)
    frames = [p.frame for p in parts] or [pd.DataFrame(columns=list(REQUIRED), dtype=object)]
    df = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    rep = _Report(parts)
    data, codes = _validate(df, fw, rep)
    rep.raise_if_any(name)
    obs = Observations(data, fw, source=name)
    obs._codes = codes  # noqa: SLF001 - the codes of exactly this frame (cleared when replaced)
    return obs


class _Codes(NamedTuple):
    """Integer codes of a checked table's text columns, as validation made them:
    ``units[unit]`` is the ``unit`` column (likewise indicator, group). Kept with the
    :class:`Observations` they were made for, so that :meth:`Observations.wide` hashes no strings
    (on 3 M rows that is most of its time)."""

    unit: np.ndarray
    units: np.ndarray
    indicator: np.ndarray
    indicators: np.ndarray
    group: np.ndarray
    groups: np.ndarray


# ---------------------------------------------------------------- the result
class Observations:
    """A checked observation table (``data``, long form) and its framework.

    Treat ``data`` as read-only: to change observations, assign a new frame (``obs.data = ...``)
    or check a changed copy with :meth:`from_frame`.
    """

    def __init__(self, data: pd.DataFrame, framework: Framework, source: str | None = None):
        self.data = data
        self.framework = framework
        self.source = source

    @property
    def data(self) -> pd.DataFrame:
        return self._data

    @data.setter
    def data(self, frame: pd.DataFrame) -> None:
        self._data = frame
        self._codes: _Codes | None = None  # valid only for the frame validation made

    @classmethod
    def from_frame(cls, df: pd.DataFrame, framework) -> Observations:
        """Check a DataFrame as :func:`read_observations` does."""
        return read_observations(df, framework)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return (f"<Observations {len(self)} rows, {len(self.units)} units, periods {self.periods}, "
                f"framework {self.framework.code!r}>")

    @property
    def units(self) -> list[str]:
        return sorted(pd.unique(self.data["unit"]))

    @property
    def periods(self) -> list[int]:
        return sorted(int(p) for p in pd.unique(self.data["period"]))

    def to_frame(self) -> pd.DataFrame:
        return self.data.copy()

    def totals(self, period: int | list[int] | None = None) -> pd.DataFrame:
        """The rows for the whole population (``group == "total"``), optionally of some periods."""
        d = self.data
        mask = (d["group"] == "total").to_numpy()
        if period is not None:
            wanted = [period] if np.isscalar(period) else list(period)
            mask &= d["period"].isin(wanted).to_numpy()
        return d[mask].reset_index(drop=True)

    def wide(self, groups: str = "total") -> pd.DataFrame:
        """Values indexed by (unit, period), one float column per indicator in framework order.

        ``groups`` is ``total`` or one group (``women``, ``sex=female;age=65+``).
        """
        group = canonical_group(groups, self.framework)
        d, c = self.data, self._codes
        codes = pd.Index(self.framework.indicator_codes, name="indicator")
        periods = d["period"].to_numpy()
        if c is None:
            mask = (d["group"] == group).to_numpy()
            row, index = _unit_period_index(d["unit"].to_numpy()[mask], periods[mask])
            col = codes.get_indexer(d["indicator"].to_numpy()[mask])
        else:  # the same, from validation's integer codes
            mask = (c.groups == group)[c.group]
            if mask.all():  # only totals: views instead of copies
                mask = slice(None)
            row, index = _coded_unit_period_index(c.unit[mask], c.units, periods[mask])
            col = codes.get_indexer(c.indicators)[c.indicator[mask]]
        mat = np.full((len(index), len(codes)), np.nan)
        mat[row, col] = d["value"].to_numpy(dtype=float)[mask]
        return pd.DataFrame(mat, index=index, columns=codes)

    def coverage(self) -> pd.DataFrame:
        """Per (unit, period): indicators reported (a value or a text) of all, and the share."""
        d = self.data
        mask = (d["group"] == "total").to_numpy()
        reported = (d["value"].notna() | d["text"].notna()).to_numpy()[mask]
        row, index = _unit_period_index(d["unit"].to_numpy()[mask], d["period"].to_numpy()[mask])
        counts = np.bincount(row, weights=reported, minlength=len(index)).astype(np.int64)
        total = len(self.framework.indicator_codes)
        out = pd.DataFrame({"reported": counts, "indicators": total}, index=index)
        out["coverage"] = out["reported"] / total if total else np.nan
        return out

    def write(self, path) -> Path:
        """Write ``data`` as CSV, Parquet or XLSX by extension (read_observations reads it)."""
        path = Path(path)
        ext = path.suffix.lower()
        if ext == ".csv":
            self.data.to_csv(path, index=False)
        elif ext in (".parquet", ".pq"):
            self.data.to_parquet(path, index=False)
        elif ext == ".xlsx":
            self.data.to_excel(path, index=False, sheet_name="observations")
        else:
            raise ObservationError(f"cannot write {path.name}", [Problem(
                "unsupported file type", file=path.name, value=path.suffix,
                expected="a .csv, .xlsx or .parquet file")])
        return path


def _unit_period_index(units: np.ndarray, periods: np.ndarray) -> tuple[np.ndarray, pd.MultiIndex]:
    """(row code of each (unit, period) pair, the sorted (unit, period) MultiIndex)."""
    uc, uu = pd.factorize(units, sort=True)
    pc, pu = pd.factorize(periods, sort=True)
    k = max(len(pu), 1)
    row, keys = pd.factorize(uc.astype(np.int64) * k + pc, sort=True)
    index = pd.MultiIndex.from_arrays(
        [np.asarray(uu, dtype=object)[keys // k], np.asarray(pu, dtype=np.int64)[keys % k]],
        names=["unit", "period"])
    return row, index


def _coded_unit_period_index(unit: np.ndarray, units: np.ndarray,
                             periods: np.ndarray) -> tuple[np.ndarray, pd.MultiIndex]:
    """:func:`_unit_period_index` from unit codes into ``units`` (no string hashing): the codes
    are re-numbered in sorted order of the texts, then (unit, period) pairs are numbered by
    presence in a dense table (periods are years: a small range)."""
    order = np.argsort(units, kind="stable")
    rank = np.empty(len(units), np.int64)
    rank[order] = np.arange(len(units))
    if not len(periods):
        return np.zeros(0, np.int64), pd.MultiIndex.from_arrays(
            [np.array([], object), np.array([], np.int64)], names=["unit", "period"])
    lo = int(periods.min())
    k = int(periods.max()) - lo + 1
    key = rank[unit] * k + (periods - lo)
    present = np.zeros(len(units) * k, bool)
    present[key] = True
    keys = np.flatnonzero(present)
    row = (np.cumsum(present) - 1)[key]
    index = pd.MultiIndex.from_arrays(
        [np.asarray(units, object)[order][keys // k], (keys % k + lo).astype(np.int64)],
        names=["unit", "period"])
    return row, index
