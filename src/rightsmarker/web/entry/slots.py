"""The boxes of a theme's form: one slot per indicator and expected group.

A slot is an indicator with a group: ``total``, each value of each expected disaggregation
ground (from :func:`rightsmarker.template.expected_groups`, the same rows as the XLSX
template), values already stored for other groups, and for a ground without a list of values
one free slot where the person types the value (``income=`` + ``lowest quintile``).

Every slot is posted as ``s<n>-<field>``; ``s<n>-initial`` is a digest of what was shown, so a
save changes only the slots the person touched and a stale version is noticed only there.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from rightsmarker.template import expected_groups

from .cells import Cell, CellError, display_value

TEXT_FIELDS = ("value", "source", "note", "flag", "evidence_url")
EVIDENCE_TYPES = ("text", "yes_no", "stage")
MAX_SLOTS = 2000


def digest(values: dict) -> str:
    """A short digest of a slot's shown fields (stripped text)."""
    text = json.dumps([str(values.get(k) or "").strip() for k in TEXT_FIELDS])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Slot:
    """One box of the form (``data`` holds the text of its fields)."""

    key: str
    indicator: str
    group: str
    node: object = None
    free_ground: str = ""
    stored: object = None  # the Value, or None
    version: int = 0
    initial: str = ""
    data: dict = field(default_factory=dict)
    ground_value: str = ""
    file: object = None
    errors: list[CellError] = field(default_factory=list)
    conflict: dict | None = None
    label: str = ""  # the group for a person ('Sex: female')
    aria: str = ""  # indicator and group, for the labels of the row's inputs

    @property
    def evidence(self) -> bool:
        return self.node is not None and self.node.value_type in EVIDENCE_TYPES

    def cell(self) -> Cell:
        group = self.group
        if self.free_ground:
            group = f"{self.free_ground}={self.ground_value.strip()}"
        d = {k: str(self.data.get(k) or "").strip() for k in TEXT_FIELDS}
        return Cell(self.indicator, group, d["value"], d["source"], d["note"], d["flag"])

    def touched(self) -> bool:
        return self.file is not None or digest(self.data) != self.initial

    def is_blank(self) -> bool:
        return self.file is None and not any(str(self.data.get(k) or "").strip()
                                             for k in TEXT_FIELDS)


def stored_data(node, value) -> dict:
    """The text fields of a stored Value, as shown in the form."""
    if value is None:
        return dict.fromkeys(TEXT_FIELDS, "")
    return {"value": display_value(node, value.value_number, value.value_text),
            "source": value.source, "note": value.note, "flag": value.flag,
            "evidence_url": value.evidence_url}


_MEMO: dict[int, tuple[object, dict]] = {}


def _memo(fw) -> dict:
    """Per framework object (``as_framework()`` returns one per version and process): what is
    computed from the framework alone. The framework is kept so its id is never reused."""
    entry = _MEMO.get(id(fw))
    if entry is None or entry[0] is not fw:
        if len(_MEMO) > 32:
            _MEMO.clear()
        entry = _MEMO[id(fw)] = (fw, {})
    return entry[1]


def node_groups(node, fw) -> tuple[str, ...]:
    """:func:`rightsmarker.template.expected_groups` of ``node``, computed once per framework."""
    memo = _memo(fw)
    key = ("groups", node.code)
    if key not in memo:
        memo[key] = tuple(expected_groups(node, fw))
    return memo[key]


def group_label(group: str, fw, lang: str) -> str:
    """'Total', or each ``ground=value`` part with the ground's label ('Sex: female')."""
    if group == "total":
        return _("Total")
    from rightsmarker.charts.groups import ground_part

    memo = _memo(fw)
    grounds = memo.get("grounds")
    if grounds is None:
        grounds = memo["grounds"] = {g.code: g for g in fw.grounds}
    parts = []
    for part in group.split(";"):
        ground, _sep, value = part.partition("=")
        parts.append(ground_part(grounds.get(ground), ground, value, lang))
    return "; ".join(parts)


def theme_slots(fw, theme: str, values_by_key: dict) -> list[Slot]:
    """The slots of ``theme``: its indicators in framework order, each with its groups."""
    slots: list[Slot] = []
    for code in fw.descendants(theme, indicators_only=True):
        node = fw.node(code)
        stored = {g: v for (ind, g), v in values_by_key.items() if ind == code}
        used: set[str] = set()
        for group in node_groups(node, fw):
            if group.endswith("="):
                ground = group[:-1]
                for g in sorted(g for g in stored if g.startswith(group) and ";" not in g):
                    used.add(g)
                    slots.append(_slot(len(slots), node, g, stored[g]))
                slots.append(_slot(len(slots), node, group, None, free_ground=ground))
            else:
                used.add(group)
                slots.append(_slot(len(slots), node, group, stored.get(group)))
        for g in sorted(set(stored) - used):
            slots.append(_slot(len(slots), node, g, stored[g]))
    return slots


EMPTY_DIGEST = digest({})


def _slot(n: int, node, group: str, value, free_ground: str = "") -> Slot:
    data = stored_data(node, value)
    return Slot(key=f"s{n}", indicator=node.code, group=group, node=node,
                free_ground=free_ground, stored=value, version=value.version if value else 0,
                initial=digest(data) if value is not None else EMPTY_DIGEST, data=data)


def posted_slots(post, files, fw) -> list[Slot]:
    """The slots of a posted form (``s0-...``, ``s1-...``, ... until one is missing)."""
    slots = []
    for n in range(MAX_SLOTS):
        key = f"s{n}"
        indicator = post.get(f"{key}-indicator")
        if indicator is None:
            break
        if indicator not in fw.indicator_codes:
            continue  # not a box of this form
        node = fw.node(indicator)
        group = post.get(f"{key}-group", "total")
        try:
            version = int(post.get(f"{key}-version", "0"))
        except ValueError:
            version = -1
        slots.append(Slot(
            key=key, indicator=indicator, group=group, node=node,
            free_ground=group[:-1] if group.endswith("=") else "", version=version,
            initial=post.get(f"{key}-initial", ""),
            data={k: post.get(f"{key}-{k}", "") for k in TEXT_FIELDS},
            ground_value=post.get(f"{key}-ground_value", ""),
            file=files.get(f"{key}-evidence_file") if files else None))
    return slots


def slot_from_post(post, key: str, fw) -> Slot | None:
    """One posted slot (inline validation), or None when the key is not in the post."""
    if not key.startswith("s") or not key[1:].isdigit():
        return None
    indicator = post.get(f"{key}-indicator")
    if indicator is None:
        return None
    node = fw.node(indicator) if indicator in fw.indicator_codes else None
    group = post.get(f"{key}-group", "total")
    return Slot(key=key, indicator=indicator, group=group, node=node,
                free_ground=group[:-1] if group.endswith("=") else "",
                data={k: post.get(f"{key}-{k}", "") for k in TEXT_FIELDS},
                ground_value=post.get(f"{key}-ground_value", ""))
