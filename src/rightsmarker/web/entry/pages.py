"""What the entry and review pages show: themes, indicators with their slots, what is missing."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .slots import EVIDENCE_TYPES, group_label, node_groups

TYPE_HINTS = {
    "number": _("A number, such as 12 or 1,234.5."),
    "percent": _("A percentage from 0 to 100, such as 12.5."),
    "rate": _("A rate, 0 or more, such as 3.2."),
    "yes_no": _("Yes or no."),
    "stage": _("Choose the stage reached."),
    "text": _("A short text; add an evidence file or link."),
}


def fw_key(submission) -> str:
    """The framework version of the submission's cycle, for cache keys."""
    fv = submission.cycle.framework_version
    return f"{fv.pk}.{fv.sha256}"


def language(request) -> str:
    return (getattr(request, "LANGUAGE_CODE", None) or "en")[:2]


def themes(fw, lang: str) -> list[dict]:
    """The depth-1 nodes of the framework that hold indicators: ``{code, label}``."""
    out = []
    for code in fw.children(fw.root):
        if fw.descendants(code, indicators_only=True):
            out.append({"code": code, "label": fw.node(code).label(lang)})
    return out


def indicator_info(node, lang: str) -> dict:
    """An indicator's label, definition, unit, type hint and stages in ``lang``."""
    return {
        "code": node.code, "node": node, "label": node.label(lang),
        "definition": node.definitions.get(lang) or node.definitions.get("en") or "",
        "unit": node.unit_label(lang) or "", "type": node.value_type,
        "hint": TYPE_HINTS.get(node.value_type),
        "evidence": node.value_type in EVIDENCE_TYPES,
        "stage_codes": [s.code for s in node.stages],
        "stages": [{"code": s.code, "label": s.labels.get(lang) or s.labels.get("en") or s.code}
                   for s in node.stages],
    }


def indicators_with_slots(fw, slots, comments, lang: str) -> list[dict]:
    """Slots grouped by indicator (framework order), each block with the indicator's comments."""
    blocks: dict[str, dict] = {}
    for s in slots:
        if s.indicator not in blocks:
            node = fw.node(s.indicator)
            blocks[s.indicator] = {**indicator_info(node, lang), "slots": [],
                                   "comments": [c for c in comments if c.indicator == node.code]}
        s.label = group_label(s.group, fw, lang)
        s.aria = f"{blocks[s.indicator]['label']}, {s.label}"
        blocks[s.indicator]["slots"].append(s)
    return list(blocks.values())


def row_texts() -> dict:
    """Words repeated in every row of the form, translated once per page."""
    from django.utils.translation import gettext

    return {"source": gettext("Source"), "note": gettext("Note"), "flag": gettext("Flag"),
            "evidence": gettext("Evidence link"), "yes": gettext("yes"), "no": gettext("no"),
            "not_given": gettext("not given"), "or_file": gettext("or a file"),
            "history": gettext("history")}


def reported_keys(submission) -> set[tuple[str, str]]:
    """(indicator, group) of the values with a number, a text or a flag."""
    rows = submission.values.order_by().values_list("indicator", "group", "value_number",
                                                    "value_text", "flag")
    return {(i, g) for i, g, number, text, flag in rows if number is not None or text or flag}


def missing_summary(fw, keys: set[tuple[str, str]], lang: str) -> dict:
    """What is not reported yet: indicators without a total per theme, and group counts."""
    per_theme, missing_total, expected, filled = [], 0, 0, 0
    for theme in themes(fw, lang):
        missing = []
        for code in fw.descendants(theme["code"], indicators_only=True):
            node = fw.node(code)
            if (code, "total") not in keys:
                missing.append({"code": code, "label": node.label(lang)})
            for g in node_groups(node, fw):
                if not g.endswith("="):
                    expected += 1
                    filled += (code, g) in keys
        missing_total += len(missing)
        per_theme.append({**theme, "missing": missing})
    return {"themes": per_theme, "missing_totals": missing_total, "expected_groups": expected,
            "filled_groups": filled, "indicators": len(fw.indicator_codes)}
