"""Population groups in observation tables: ``total`` or ``ground=value[;ground=value]``.

A group code from the framework's vocabulary (``women``) expands to its definition
(``sex=female``); the canonical form sorts the parts by ground code.
"""

from __future__ import annotations

import difflib

from .framework.model import Framework


def vocabulary(fw: Framework) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Grounds (code -> allowed values, empty = any) and groups (code -> definition) of ``fw``.

    A framework from ``load_framework`` already has the default vocabulary merged in (and the
    default groups that do not fit redefined grounds left out): its own lists are used. A bare
    ``Framework(...)`` gets the defaults of :mod:`rightsmarker.framework.vocabulary` under its own.
    """
    from .framework.vocabulary import DEFAULT_GROUNDS, DEFAULT_GROUPS

    own = set(fw.ground_codes())
    merged = all(g.code in own for g in DEFAULT_GROUNDS)
    grounds = {} if merged else {g.code: list(g.values) for g in DEFAULT_GROUNDS}
    grounds.update({g.code: list(g.values) for g in fw.grounds})
    groups = {} if merged else {g.code: g.definition for g in DEFAULT_GROUPS}
    groups.update({g.code: g.definition for g in fw.groups})
    return grounds, groups


def parse_group(text: object, grounds: dict[str, list[str]], groups: dict[str, str]) -> str:
    """The canonical form of a group: ``total`` or ``ground=value`` parts sorted by ground.

    A part may be a group code (``women``), replaced by its definition. Raises ``ValueError``
    with a message naming what is wrong.
    """
    s = "" if text is None or text != text else str(text).strip()
    if s == "" or s.casefold() == "total":
        return "total"
    lower_grounds = {g.casefold(): g for g in grounds}
    lower_groups = {g.casefold(): d for g, d in groups.items()}
    parts: dict[str, str] = {}
    pending = [p.strip() for p in s.split(";")]
    expanded: set[str] = set()
    while pending:
        part = pending.pop(0)
        if not part:
            continue
        if "=" not in part:
            key = part.casefold()
            if key not in lower_groups or key in expanded:
                close = difflib.get_close_matches(part, list(groups), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ValueError(f"{part!r} is neither ground=value nor a known group code{hint}")
            expanded.add(key)
            pending[:0] = [p.strip() for p in lower_groups[key].split(";")]
            continue
        ground, value = (x.strip() for x in part.split("=", 1))
        code = lower_grounds.get(ground.casefold())
        if code is None:
            close = difflib.get_close_matches(ground, list(grounds), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(f"unknown ground {ground!r}{hint}")
        if not value:
            raise ValueError(f"no value given for ground {code!r}")
        if code in parts:
            raise ValueError(f"ground {code!r} is given twice")
        parts[code] = _ground_value(code, value, grounds[code])
    if not parts:
        return "total"
    return ";".join(f"{g}={parts[g]}" for g in sorted(parts))


def _ground_value(code: str, value: str, values: list[str]) -> str:
    """A ground's value in canonical spelling; ``a|b`` (either value) in the ground's order."""
    alts = [v.strip() for v in value.split("|")]
    if not all(alts):
        raise ValueError(f"no value given for ground {code!r}")
    if not values:
        return "|".join(sorted(set(alts)))
    allowed = {v.casefold(): v for v in values}
    for v in alts:
        if v.casefold() not in allowed:
            raise ValueError(f"{v!r} is not a value of ground {code!r} ({', '.join(values)})")
    chosen = {allowed[v.casefold()] for v in alts}
    return "|".join(v for v in values if v in chosen)


def canonical_group(text: object, framework: Framework) -> str:
    """The canonical form of ``text`` (``"women"`` -> ``"sex=female"``) for ``framework``."""
    return parse_group(text, *vocabulary(framework))
