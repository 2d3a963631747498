"""Values as people type them, checked by the library's own rules.

A :class:`Cell` is one value as entered (the text of the value box, group, source, note, flag).
:func:`check_cells` reads cells through :func:`rightsmarker.read_observations` (a DataFrame
with one row per cell), so the web form, the upload and the command line accept exactly the
same values. :func:`display_value` is the inverse: a stored value as a person would type it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightsmarker.errors import ObservationError, Problem
from rightsmarker.observations import EXPECT_EMPTY, EXPECT_NUMBER, EXPECT_YES_NO, read_observations

LIMITS = {"group": 200, "source": 300, "flag": 50}

# The library speaks English; the messages people meet most often are translated here.
MESSAGES = {
    "not a number": gettext_lazy("not a number"),
    "not a percentage": gettext_lazy("not a percentage"),
    "a percentage must be from 0 to 100": gettext_lazy("a percentage must be from 0 to 100"),
    "not a rate": gettext_lazy("not a rate"),
    "a rate cannot be negative": gettext_lazy("a rate cannot be negative"),
    "not yes or no": gettext_lazy("not yes or no"),
    "no value": gettext_lazy("no value"),
    "unknown indicator code": gettext_lazy("unknown indicator code"),
    "empty unit": gettext_lazy("empty unit"),
    "the period is not a year": gettext_lazy("the period is not a year"),
}
EXPECTED = {
    EXPECT_NUMBER: gettext_lazy("a number such as 12, -3.5 or 1,234.5"),
    EXPECT_YES_NO: gettext_lazy("yes or no"),
    EXPECT_EMPTY: gettext_lazy("a value, or a flag (such as 'missing') saying why the value is "
                               "empty"),
    "a number from 0 to 100, such as 12.5 or 12.5%": gettext_lazy(
        "a number from 0 to 100, such as 12.5 or 12.5%"),
    "a number 0 or more, such as 3.2": gettext_lazy("a number 0 or more, such as 3.2"),
    "a year as a whole number, such as 2023": gettext_lazy(
        "a year as a whole number, such as 2023"),
}
_STAGE = re.compile(r"^not a stage of indicator '(?P<code>[^']*)'$")


def problem_message(problem: Problem) -> str:
    """The problem's message in the active language (the library's English when unknown)."""
    m = _STAGE.match(problem.message)
    if m:
        return _("not a stage of indicator %(code)s") % {"code": m["code"]}
    return str(MESSAGES.get(problem.message, problem.message))


def problem_expected(problem: Problem) -> str:
    if not problem.expected:
        return ""
    return str(EXPECTED.get(problem.expected, problem.expected))


@dataclass
class Cell:
    """One value as entered: ``value`` is the text typed (a stage code, 'yes', '12.5', ...)."""

    indicator: str
    group: str = "total"
    value: str = ""
    source: str = ""
    note: str = ""
    flag: str = ""

    def is_blank(self) -> bool:
        return not (self.value.strip() or self.flag.strip())


@dataclass
class Parsed:
    """A cell as stored: the fields of a ``Value``."""

    indicator: str
    group: str
    value_number: float | None
    value_text: str
    source: str
    note: str
    flag: str

    def fields(self) -> dict:
        return {"value_number": self.value_number, "value_text": self.value_text,
                "source": self.source, "note": self.note, "flag": self.flag}


@dataclass
class CellError:
    """Why a cell was refused, for a person: message, expected form and the value found."""

    message: str
    expected: str = ""
    value: object = None
    column: str = ""


def check_cells(cells: list[Cell], fw, unit: str, period: int
                ) -> tuple[list[Parsed | None], dict[int, list[CellError]]]:
    """Read ``cells`` as the library does: (parsed cells, errors by cell position).

    When any cell has an error the parsed list is all None (the library loads nothing).
    """
    errors: dict[int, list[CellError]] = {}
    for i, c in enumerate(cells):
        for column, limit in LIMITS.items():
            if len(getattr(c, column)) > limit:
                errors.setdefault(i, []).append(CellError(
                    _("longer than %(n)s characters") % {"n": limit}, column=column))
    if not cells:
        return [], errors
    frame = pd.DataFrame([{"unit": unit, "period": str(period), "indicator": c.indicator,
                           "group": c.group, "value": c.value, "source": c.source,
                           "note": c.note, "flag": c.flag} for c in cells], dtype=object)
    try:
        data = read_observations(frame, fw).data
    except ObservationError as exc:
        for p in exc.problems:
            if p.row is not None and 0 <= p.row - 2 < len(cells):
                errors.setdefault(p.row - 2, []).append(CellError(
                    problem_message(p), problem_expected(p), p.value, p.column or ""))
        return [None] * len(cells), errors
    if errors:
        return [None] * len(cells), errors
    return [_parsed(r) for r in data.itertuples(index=False)], errors


def _text(v) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)


def _parsed(r) -> Parsed:
    number = None if r.value is None or math.isnan(r.value) else float(r.value)
    return Parsed(indicator=r.indicator, group=r.group, value_number=number,
                  value_text=_text(r.text), source=_text(r.source), note=_text(r.note),
                  flag=_text(r.flag))


def format_number(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else format(x, ".15g")


def display_value(node, value_number: float | None, value_text: str) -> str:
    """A stored value as a person types it: '12.5', 'yes', a stage code, or the text."""
    vt = node.value_type if node is not None else None
    if vt == "text" or value_number is None:
        return value_text or ""
    if vt == "yes_no":
        return "yes" if value_number >= 0.5 else "no"
    if vt == "stage" and 0 <= int(value_number) < len(node.stages):
        return node.stages[int(value_number)].code
    return format_number(value_number)


FLAGS = {  # the flags the entry form offers (entry-flags); any other flag reads as typed
    "missing": gettext_lazy("missing"), "not-collected": gettext_lazy("not collected"),
    "confidential": gettext_lazy("confidential"), "estimate": gettext_lazy("estimate"),
}


def flag_label(flag: str | None) -> str:
    """A value's flag in the page language (``missing`` -> "결측" in Korean)."""
    return str(FLAGS.get(flag, flag or ""))


WORDED_TYPES = ("yes_no", "stage", "text")  # their unit ('yes/no', 'stage (0-4)') says no more


def shown_with_unit(node, value_number: float | None, lang: str) -> str:
    """A stored number as the entry page shows it: 'yes', '2 · Adopted', '11 %' ('' if None)."""
    if value_number is None:
        return ""
    text = shown_value(node, value_number, "", lang, numbered=True)
    unit = node.unit_label(lang) if node is not None and node.value_type not in WORDED_TYPES else ""
    return f"{text} {unit}" if unit else text


def shown_value(node, value_number: float | None, value_text: str, lang: str,
                numbered: bool = False) -> str:
    """A stored value for reading: yes/no and stage labels in ``lang``, numbers as typed;
    ``numbered``: a stage with its number as the entry page's list shows it ('2 · Adopted')."""
    vt = node.value_type if node is not None else None
    if value_number is None or vt == "text":
        return value_text or ""
    if vt == "yes_no":
        return str(_("yes") if value_number >= 0.5 else _("no"))
    if vt == "stage" and 0 <= int(value_number) < len(node.stages):
        stage = node.stages[int(value_number)]
        label = stage.labels.get(lang) or stage.labels.get("en") or stage.code
        return f"{int(value_number)} · {label}" if numbered else label
    return format_number(value_number)
