"""The marker framework: a tree of nodes (index -> theme -> sub-theme -> indicator).

A framework is a pydantic model, loaded from YAML (see :mod:`rightsmarker.framework.io`).
Nodes form a tree of any depth; leaves are indicators and carry the measurement metadata
(kind, value type, direction, goalposts, thresholds, disaggregations, references).
Tree structure is validated in :meth:`Framework._check_tree`; the errors name each node.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Kind = Literal["structural", "process", "outcome"]
ValueType = Literal["number", "percent", "rate", "yes_no", "stage", "text"]
QUANTITATIVE = ("number", "percent", "rate")
QUALITATIVE = ("yes_no", "stage")
Colour = Literal["green", "yellow", "orange", "red", "grey"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class _Labelled(_Strict):
    """Something with a ``code`` and ``labels`` by language (node, ground, group)."""

    def label(self, lang: str = "en") -> str:
        """The label in ``lang``, else in English, else the code."""
        return self.labels.get(lang) or self.labels.get("en") or self.code


class Reference(_Strict):
    """A normative or statistical reference.

    For example ``{type: treaty, instrument: ICCPR, article: "26"}``.
    """

    type: Literal["udhr", "treaty", "sdg", "umf", "other"] = "other"
    instrument: str | None = None
    article: str | None = None
    target: str | None = None
    text: str | None = None

    def short(self) -> str:
        """A compact text form used in tables: ``ICCPR art. 26``, ``SDG 10.3``."""
        if self.type == "sdg":
            return f"SDG {self.target or self.article or ''}".strip()
        if self.type == "udhr":
            return f"UDHR art. {self.article}" if self.article else "UDHR"
        if self.type == "umf":
            return f"UMF {self.target or self.text or ''}".strip()
        head = self.instrument or self.text or self.type
        return f"{head} art. {self.article}" if self.article else head


class Stage(_Strict):
    """One named level of an ordinal indicator, in order from worst to best."""

    code: str
    labels: dict[str, str] = Field(default_factory=dict)


class Node(_Labelled):
    """A node of the framework tree. A node with ``value_type`` is an indicator (a leaf)."""

    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
    parent: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    definitions: dict[str, str] = Field(default_factory=dict)
    weight: float = 1.0
    # --- indicator metadata (leaves only) ---
    kind: Kind | None = None
    value_type: ValueType | None = None
    unit: str | None = None
    units: dict[str, str] = Field(default_factory=dict)  # the unit in other languages: {ko: ...}
    direction: Literal[1, -1] = 1
    lower: float | None = None
    optimum: float | None = None
    green: float | None = None
    red: float | None = None
    stages: list[Stage] = Field(default_factory=list)
    denominator: str | None = None
    disaggregations: list[str] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    formula: str | None = None
    rationale: dict[str, str] = Field(default_factory=dict)
    core: bool = True

    @field_validator("weight")
    @classmethod
    def _weight_not_negative(cls, v: float) -> float:
        if v < 0:
            raise ValueError(f"weight must be 0 or more, got {v}")
        return v

    @property
    def is_indicator(self) -> bool:
        return self.value_type is not None

    def unit_label(self, lang: str = "en") -> str | None:
        """The unit in ``lang`` (``units``), else as written in ``unit``."""
        return self.units.get(lang) or self.unit

    def scale_max(self) -> float | None:
        """Largest raw value of a qualitative indicator (yes = 1, last stage = k - 1)."""
        if self.value_type == "yes_no":
            return 1.0
        if self.value_type == "stage":
            return float(len(self.stages) - 1)
        return None

    def goalposts(self) -> tuple[float | None, float | None]:
        """Effective ``(lower, optimum)``: raw values scoring 0 and 100.

        Qualitative indicators default to their scale (``lower = 0``, ``optimum = scale_max()``;
        swapped when ``direction`` is -1); quantitative ones return the values as given.
        """
        top = self.scale_max()
        if top is None:
            return self.lower, self.optimum
        worst, best = (0.0, top) if self.direction == 1 else (top, 0.0)
        lower = worst if self.lower is None else self.lower
        return lower, best if self.optimum is None else self.optimum


class Ground(_Labelled):
    """A ground of discrimination along which data are disaggregated (``sex``, ``age``, ...)."""

    code: str
    labels: dict[str, str] = Field(default_factory=dict)
    values: list[str] = Field(default_factory=list)  # empty: any value accepted
    # a value's words in other languages: {"female": {"ko": "여성"}}; the value itself otherwise
    value_labels: dict[str, dict[str, str]] = Field(default_factory=dict)

    def value_label(self, value: str, lang: str = "en") -> str:
        """``value`` in ``lang`` (``value_labels``); an age band reads ``65세 이상`` and
        ``18-24세`` in Korean; any other value as it is."""
        words = self.value_labels.get(value, {})
        if words.get(lang):
            return words[lang]
        if lang == "ko" and self.code == "age":
            if m := re.fullmatch(r"(\d+)\+", value):
                return f"{m[1]}세 이상"
            if re.fullmatch(r"\d+-\d+", value):
                return f"{value}세"
        return value


class Group(_Labelled):
    """A named population group (``women``) defined as a conjunction over grounds.

    ``sex=female``, ``sex=female;age=65+``; ``a|b`` accepts either value.
    """

    code: str
    labels: dict[str, str] = Field(default_factory=dict)
    definition: str  # e.g. "sex=female" or "age=65+"; "a|b" accepts either value

    def conditions(self) -> dict[str, list[str]]:
        """The definition parsed: ground code -> accepted values (``{"sex": ["female"]}``)."""
        out: dict[str, list[str]] = {}
        for part in self.definition.split(";"):
            ground, _, values = part.partition("=")
            out[ground.strip()] = [v.strip() for v in values.split("|")]
        return out


class Condition(_Strict):
    """A condition of a recognition level; every field given must hold."""

    min_score: float | None = None
    structural_met: float | None = Field(default=None, ge=0, le=1)
    min_coverage: float | None = Field(default=None, ge=0, le=1)
    children_min_level: int | None = None
    children_share: float = Field(default=1.0, ge=0, le=1)


class RecognitionLevel(_Strict):
    """A recognition level: reached by a node when all its conditions hold."""

    level: int = Field(ge=1)
    labels: dict[str, str] = Field(default_factory=dict)
    description: dict[str, str] = Field(default_factory=dict)
    theme: Condition = Field(default_factory=Condition)
    overall: Condition = Field(default_factory=Condition)


class Recognition(_Strict):
    """Recognition levels, checked per theme (depth ``theme_depth``) and for the root."""

    theme_depth: int = 1
    levels: list[RecognitionLevel] = Field(default_factory=list)


class Framework(_Strict):
    """A versioned marker framework."""

    code: str
    version: str = "1"
    labels: dict[str, str] = Field(default_factory=dict)
    description: dict[str, str] = Field(default_factory=dict)
    languages: list[str] = Field(default_factory=lambda: ["en", "ko"])
    depth_names: list[str] = Field(
        default_factory=lambda: ["index", "theme", "sub-theme", "indicator"]
    )
    grounds: list[Ground] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)
    nodes: list[Node]
    recognition: Recognition | None = None

    # ---- tree access (computed once; frameworks are treated as immutable after load) ----
    @cached_property
    def _by_code(self) -> dict[str, Node]:
        return {n.code: n for n in self.nodes}

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        ch: dict[str, list[str]] = {n.code: [] for n in self.nodes}
        for n in self.nodes:
            if n.parent is not None and n.parent in ch:
                ch[n.parent].append(n.code)
        return ch

    @property
    def root(self) -> str:
        return next(n.code for n in self.nodes if n.parent is None)

    def node(self, code: str) -> Node:
        from ..errors import UnknownNameError

        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownNameError("node", code, list(self._by_code)) from None

    def __contains__(self, code: str) -> bool:
        return code in self._by_code

    def children(self, code: str) -> list[str]:
        return self._children[code]

    @cached_property
    def depths(self) -> dict[str, int]:
        """Depth of every node, the root at 0."""
        out: dict[str, int] = {}
        stack = [(self.root, 0)]
        while stack:
            code, d = stack.pop()
            out[code] = d
            stack.extend((c, d + 1) for c in self._children[code])
        return out

    def depth(self, code: str) -> int:
        return self.depths[code]

    def depth_name(self, depth: int) -> str:
        return self.depth_names[depth] if depth < len(self.depth_names) else f"level-{depth}"

    @property
    def indicators(self) -> list[Node]:
        """Indicator nodes in file order."""
        return [n for n in self.nodes if n.is_indicator]

    @property
    def indicator_codes(self) -> list[str]:
        return [n.code for n in self.nodes if n.is_indicator]

    @property
    def aggregates(self) -> list[Node]:
        """Non-leaf nodes, deepest first (the order in which they are aggregated)."""
        agg = [n for n in self.nodes if not n.is_indicator]
        return sorted(agg, key=lambda n: -self.depths[n.code])

    def descendants(self, code: str, indicators_only: bool = False) -> list[str]:
        out: list[str] = []
        stack = list(reversed(self._children[code]))
        while stack:
            c = stack.pop()
            if not indicators_only or self._by_code[c].is_indicator:
                out.append(c)
            stack.extend(reversed(self._children[c]))
        return out

    def ancestors(self, code: str) -> list[str]:
        out = []
        p = self._by_code[code].parent
        while p is not None:
            out.append(p)
            p = self._by_code[p].parent
        return out

    def ground_codes(self) -> list[str]:
        return [g.code for g in self.grounds]

    def group(self, code: str) -> Group:
        from ..errors import UnknownNameError

        for g in self.groups:
            if g.code == code:
                return g
        raise UnknownNameError("group", code, [g.code for g in self.groups])
