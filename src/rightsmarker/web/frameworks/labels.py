"""Indicator kinds and value types in the reader's language (the framework stores the codes)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

KINDS = {
    "structural": pgettext_lazy("indicator kind", "structural"),
    "process": pgettext_lazy("indicator kind", "process"),
    "outcome": pgettext_lazy("indicator kind", "outcome"),
}
VALUE_TYPES = {
    "number": pgettext_lazy("value type", "number"),
    "percent": pgettext_lazy("value type", "percent"),
    "rate": pgettext_lazy("value type", "rate"),
    "yes_no": pgettext_lazy("value type", "yes/no"),
    "stage": pgettext_lazy("value type", "stage"),
    "text": pgettext_lazy("value type", "text"),
}


def kind_label(kind: str | None) -> str:
    """``structural`` -> "structural" / "구조"; an unknown or empty kind as it is."""
    return str(KINDS.get(kind, kind or ""))


def value_type_label(value_type: str | None) -> str:
    """``yes_no`` -> "yes/no" / "예/아니오"; an unknown or empty type as it is."""
    return str(VALUE_TYPES.get(value_type, value_type or ""))
