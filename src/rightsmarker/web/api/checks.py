"""Checks of a value against the cycle's framework (after the schema has checked the form).

Each problem is a ``{loc, message, type}`` detail of one 422 envelope, so a client sees every
problem of a request at once.
"""

from __future__ import annotations

import math

from rightsmarker.observations import canonical_group

from .errors import ApiError

RANGES = {"percent": (0.0, 100.0, "a percentage from 0 to 100"),
          "rate": (0.0, math.inf, "a rate of 0 or more")}


def _problem(field: str, message: str) -> dict:
    return {"loc": ["body", field], "message": message, "type": "value_error"}


def check_group(fw, group: str, problems: list[dict]) -> str:
    """The group in canonical form; a value by district (``district=<id>``, for the district
    maps) is taken as it is, as uploads take it."""
    district = group.strip()
    if district.startswith("district=") and "district" not in {g.code for g in fw.grounds}:
        if district == "district=":
            problems.append(_problem("group", "a district value needs the district's id: "
                                              "district=<id>"))
        return district
    try:
        return canonical_group(group, fw)
    except ValueError as exc:
        problems.append(_problem("group", str(exc)))
        return group


def check_number(node, number: float | None, problems: list[dict]) -> None:
    """The number fits the indicator's value type (yes/no 0 or 1, a stage position, ...)."""
    if number is None:
        return
    vt = node.value_type
    if not math.isfinite(number):
        problems.append(_problem("value_number", "the value must be a finite number"))
    elif vt == "text":
        problems.append(_problem("value_number", f"{node.code!r} is a text indicator: give "
                                 "value_text and no value_number"))
    elif vt == "yes_no" and number not in (0, 1):
        problems.append(_problem("value_number", f"{node.code!r} is yes/no: give 1 or 0"))
    elif vt == "stage" and (number != int(number) or not 0 <= number < len(node.stages)):
        codes = ", ".join(f"{i}={st.code}" for i, st in enumerate(node.stages))
        problems.append(_problem("value_number", f"{node.code!r} is a stage: give the position "
                                 f"of the stage ({codes})"))
    elif vt in RANGES:
        low, high, what = RANGES[vt]
        if not low <= number <= high:
            problems.append(_problem("value_number", f"{node.code!r} needs {what}; "
                                     f"got {number:g}"))


def check_value(fw, indicator: str, group: str, number: float | None) -> str:
    """The canonical group of a valid value; :class:`ApiError` 422 listing every problem."""
    problems: list[dict] = []
    if indicator not in set(fw.indicator_codes):
        problems.append(_problem("indicator", f"{indicator!r} is not an indicator of framework "
                                 f"{fw.code} v{fw.version}"))
    else:
        check_number(fw.node(indicator), number, problems)
    canonical = check_group(fw, group, problems)
    if problems:
        raise ApiError(422, "The value does not fit the framework.", details=problems)
    return canonical
