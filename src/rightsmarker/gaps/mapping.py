"""Discovered groups in the framework's vocabulary: mapping microdata columns to grounds.

A group found in microdata (:func:`rightsmarker.discovery.discover`) is written with the
microdata's column names and values. Gap monitoring follows groups as the observations write
them: canonical ``ground=value[;ground=value]`` strings over the framework's grounds
(``framework/vocabulary.py`` and the framework's own). :func:`map_group` proposes, for every
``attribute=value`` pair of a discovered definition, a ground and a value of that ground:

1. **Ground.** The attribute name, compared case-insensitively with spaces, ``_`` and ``/``
   read as ``-``, equals a ground's code (``Marital_status`` -> ``marital-status``), a ground's
   label in any language (``Race`` -> ``race``), or a name in :data:`GROUND_SYNONYMS`
   (``gender`` -> ``sex``, ``race/ethnicity`` -> ``race``, ``native-country`` ->
   ``national-origin``).
2. **Value.** When the ground lists its values, the value must be one of them (same comparison),
   a name in :data:`VALUE_SYNONYMS` for that ground (``F``, ``woman`` -> ``female``; ``1``,
   ``true`` -> ``yes`` on yes/no grounds), or, for ``age``, a numeric bin that coincides with an
   age band (``>=65`` -> ``65+``, ``[18, 25)`` -> ``18-24``, ``<18`` -> ``0-17``). When the
   ground takes any value (``race`` in the default vocabulary), the value is written as
   observations of ``known_groups`` write it (case-insensitive match), else in lower case with
   ``-`` for spaces.

A pair whose ground or value cannot be found is *unmapped*; a definition with an unmapped pair,
or with two pairs on one ground, has no canonical form (``canonical`` is None) and the user must
complete the mapping (:func:`mapped_group` checks a mapping the user edited).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..groups import parse_group, vocabulary

GROUND_SYNONYMS: dict[str, str] = {
    "gender": "sex",
    "sex-at-birth": "sex",
    "age-group": "age",
    "age-band": "age",
    "age-class": "age",
    "agegroup": "age",
    "race-ethnicity": "race",
    "race-or-ethnicity": "race",
    "ethnic-group": "ethnicity",
    "ethnic-origin": "ethnicity",
    "disabled": "disability",
    "disability-status": "disability",
    "migrant": "migration-status",
    "migrant-status": "migration-status",
    "immigrant": "migration-status",
    "immigration-status": "migration-status",
    "citizenship": "nationality",
    "native-country": "national-origin",
    "country-of-birth": "national-origin",
    "marital": "marital-status",
    "education-level": "education",
    "educational-attainment": "education",
    "income-group": "income",
    "income-level": "income",
    "region": "place-of-residence",
    "district": "place-of-residence",
    "residence": "place-of-residence",
    "urban-rural": "place-of-residence",
    "poverty": "poverty-status",
    "poor": "poverty-status",
    "homeless": "housing-status",
    "health": "health-status",
    "household": "household-type",
    "indigenous": "indigenous-status",
    "minority": "minority-status",
    "lgbti": "lgbti-status",
}
"""Attribute names (normalised) that mean a ground of the default vocabulary."""

_YES = {"y": "yes", "true": "yes", "1": "yes", "t": "yes"}
_NO = {"n": "no", "false": "no", "0": "no", "f": "no"}
VALUE_SYNONYMS: dict[str, dict[str, str]] = {
    "sex": {"f": "female", "woman": "female", "women": "female", "girl": "female",
            "m": "male", "man": "male", "men": "male", "boy": "male"},
    "migration-status": {"immigrant": "migrant", "foreign-born": "migrant",
                         "native": "non-migrant", "native-born": "non-migrant",
                         "non-immigrant": "non-migrant", "asylum": "asylum-seeker"},
    "poverty-status": {"below-poverty": "poor", "above-poverty": "not-poor",
                       "non-poor": "not-poor"},
    "housing-status": {"homeless": "homeless", "roofless": "homeless"},
    "marital-status": {"single": "never-married", "unmarried": "never-married"},
    **{g: {**_YES, **_NO} for g in ("disability", "lgbti-status", "minority-status",
                                    "indigenous-status")},
}
"""Per ground: values (normalised) that mean one of the ground's values."""


@dataclass(frozen=True)
class PairMapping:
    """One ``attribute=value`` of a discovered group and the ground and value proposed for it.

    ``how``: ``code``, ``label`` or ``synonym`` (how the ground was found) joined by ``/`` to
    ``exact``, ``synonym``, ``band`` or ``open`` (how the value was found); empty when the
    pair is unmapped.
    """

    attribute: str
    value: str
    ground: str | None = None
    ground_value: str | None = None
    how: str = ""

    @property
    def mapped(self) -> bool:
        return bool(self.ground and self.ground_value)


@dataclass(frozen=True)
class GroupMapping:
    """A discovered definition, its pairs as mapped, and the canonical group (or None)."""

    definition: str
    pairs: tuple[PairMapping, ...]
    canonical: str | None
    group_code: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def unmapped(self) -> list[PairMapping]:
        return [p for p in self.pairs if not p.mapped]


def norm(text: object) -> str:
    """Case-insensitive comparison key: lower case, spaces, ``_`` and ``/`` as single ``-``."""
    return re.sub(r"[\s_/]+", "-", str(text).strip().casefold()).strip("-")


def split_definition(definition: str) -> list[tuple[str, str]]:
    """``"sex=Female;age=[18, 25)"`` -> ``[("sex", "Female"), ("age", "[18, 25)")]``."""
    pairs = []
    for part in str(definition).split(";"):
        attribute, sep, value = part.partition("=")
        if part.strip():
            pairs.append((attribute.strip(), value.strip() if sep else ""))
    return pairs


def map_group(definition: str, framework=None, *, known_groups: Iterable[str] = ()) -> GroupMapping:
    """Propose the framework group of a discovered ``definition`` (see the module).

    ``framework``: a :class:`~rightsmarker.framework.model.Framework` (its grounds and groups,
    the defaults merged in), or None for the default vocabulary. ``known_groups``: group strings
    used by observations, whose spelling of open-ground values is followed.
    """
    grounds, groups, labels = _vocabulary(framework)
    known = _known_values(known_groups)
    pairs = tuple(_map_pair(a, v, grounds, labels, known) for a, v in split_definition(definition))
    return _finish(definition, pairs, grounds, groups)


def mapped_group(
    definition: str, choices: Sequence[tuple[str, str]], framework=None
) -> GroupMapping:
    """Check a mapping the user edited: ``choices`` gives ``(ground, value)`` per pair of
    ``definition`` (empty strings for a pair left unmapped)."""
    grounds, groups, _labels = _vocabulary(framework)
    pairs = []
    for (attribute, value), (ground, ground_value) in zip(split_definition(definition), choices,
                                                          strict=True):
        ground, ground_value = (ground or "").strip(), (ground_value or "").strip()
        pairs.append(PairMapping(attribute, value, ground or None, ground_value or None,
                                 "edited" if ground and ground_value else ""))
    return _finish(definition, tuple(pairs), grounds, groups)


def _finish(definition: str, pairs: tuple[PairMapping, ...], grounds, groups) -> GroupMapping:
    problems = [f"{p.attribute}={p.value}: no ground" if not p.ground
                else f"{p.attribute}={p.value}: no value of {p.ground}"
                for p in pairs if not p.mapped]
    canonical = None
    if pairs and not problems:
        try:
            canonical = parse_group(";".join(f"{p.ground}={p.ground_value}" for p in pairs),
                                    grounds, groups)
        except ValueError as exc:
            problems.append(str(exc))
    code = _group_code(canonical, grounds, groups) if canonical else None
    return GroupMapping(definition, pairs, canonical, code, problems)


def _vocabulary(framework):
    from ..framework.model import Framework
    from ..framework.vocabulary import DEFAULT_GROUNDS

    fw = framework if framework is not None else Framework.model_construct(
        code="vocabulary", grounds=[], groups=[], nodes=[])
    grounds, groups = vocabulary(fw)
    labels: dict[str, str] = {}
    for ground in [*DEFAULT_GROUNDS, *(getattr(fw, "grounds", None) or [])]:
        if ground.code in grounds:
            labels.update({norm(text): ground.code for text in ground.labels.values()})
    return grounds, groups, labels


def _known_values(groups: Iterable[str]) -> dict[str, dict[str, str]]:
    """Ground -> normalised value -> the value as observations write it."""
    known: dict[str, dict[str, str]] = {}
    for group in groups:
        for ground, value in split_definition(group):
            if value:
                known.setdefault(ground, {}).setdefault(norm(value), value)
    return known


def _find_ground(attribute: str, grounds: dict, labels: dict) -> tuple[str | None, str]:
    key = norm(attribute)
    by_code = {norm(code): code for code in grounds}
    if key in by_code:
        return by_code[key], "code"
    if key in labels:
        return labels[key], "label"
    synonym = GROUND_SYNONYMS.get(key)
    if synonym in grounds:
        return synonym, "synonym"
    return None, ""


def _map_pair(attribute, value, grounds, labels, known) -> PairMapping:
    ground, how = _find_ground(attribute, grounds, labels)
    if ground is None:
        return PairMapping(attribute, value)
    allowed = grounds[ground]
    key = norm(value)
    if not allowed:
        spelled = known.get(ground, {}).get(key)
        return PairMapping(attribute, value, ground, spelled or key or None, f"{how}/open")
    by_norm = {norm(v): v for v in allowed}
    if key in by_norm:
        return PairMapping(attribute, value, ground, by_norm[key], f"{how}/exact")
    synonym = VALUE_SYNONYMS.get(ground, {}).get(key)
    if synonym in allowed:
        return PairMapping(attribute, value, ground, synonym, f"{how}/synonym")
    band = age_band(value, allowed) if ground == "age" else None
    if band:
        return PairMapping(attribute, value, ground, band, f"{how}/band")
    return PairMapping(attribute, value, ground, None, "")


_RANGE = re.compile(r"^\[\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*\)$")
_AT_LEAST = re.compile(r"^(?:>=\s*(\d+)|(\d+)\s*\+)$")
_BELOW = re.compile(r"^<\s*(\d+)$")
_BAND = re.compile(r"^(\d+)\s*-\s*(\d+)$")


def age_band(value: str, bands: Sequence[str]) -> str | None:
    """The age band (``0-17``, ``65+``) equal to a numeric bin of whole years, or None.

    Bins are those :mod:`rightsmarker.discovery.binning` writes: ``<a``, ``[a, b)``, ``>=a``;
    ``[a, b)`` is the band ``a-(b-1)``, ``<a`` is ``0-(a-1)`` and ``>=a`` is ``a+``.
    """
    text = str(value).strip()
    low = high = None  # whole years, inclusive; high None = open
    if m := _RANGE.match(text):
        a, b = float(m.group(1)), float(m.group(2))
        if a.is_integer() and b.is_integer():
            low, high = int(a), int(b) - 1
    elif m := _AT_LEAST.match(text):
        low = int(m.group(1) or m.group(2))
    elif m := _BELOW.match(text):
        low, high = 0, int(m.group(1)) - 1
    elif m := _BAND.match(text):
        low, high = int(m.group(1)), int(m.group(2))
    if low is None:
        return None
    for band in bands:
        if (m := _AT_LEAST.match(band)) and high is None and int(m.group(1) or m.group(2)) == low:
            return band
        if (m := _BAND.match(band)) and (int(m.group(1)), int(m.group(2))) == (low, high):
            return band
    return None


def _group_code(canonical: str, grounds, groups) -> str | None:
    """The vocabulary group defined exactly as ``canonical`` (``sex=female`` -> ``women``)."""
    for code, definition in groups.items():
        try:
            if parse_group(definition, grounds, groups) == canonical:
                return code
        except ValueError:
            continue
    return None
