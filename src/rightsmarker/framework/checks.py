"""The framework validation rules: collect every problem, never stop at the first.

:func:`check_framework` returns the (vocabulary-merged) framework and a list of :class:`Issue`
records that name the section (``nodes``, ``grounds``, ...), the position, the code and the field.
:mod:`~rightsmarker.framework.io` turns them into problems naming ``code/field``;
:mod:`~rightsmarker.framework.table` into spreadsheet rows and columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pydantic

from .model import QUALITATIVE, QUANTITATIVE, Framework, Ground, Group, Node, Recognition
from .vocabulary import merge_grounds, merge_groups

VALUE_TYPES = ("number", "percent", "rate", "yes_no", "stage", "text")
INDICATOR_ONLY = (
    "kind",
    "unit",
    "lower",
    "optimum",
    "green",
    "red",
    "stages",
    "denominator",
    "disaggregations",
    "formula",
)


@dataclass(frozen=True)
class Issue:
    """One rule broken: where (section, index, code, field), what was found, what was expected."""

    message: str
    section: str | None = None  # "nodes", "grounds", "groups", "recognition"; None = top level
    index: int | None = None  # position in the section's list (0-based)
    code: str | None = None
    field: str | None = None  # dotted path inside the item: "weight", "labels.ko", "stages.0.code"
    value: object = None
    expected: str | None = None

    def text(self, numbered: bool = True) -> str:
        """The message prefixed by what it is about: ``node 'x' (#3): ...``."""
        if self.section is None:
            return self.message
        return f"{_name(self.section, self.index if numbered else None, self.code)}: {self.message}"


Add = Callable[..., None]


def check_framework(fw_or_dict: Framework | dict) -> tuple[Framework | None, list[Issue]]:
    """Validate; return the framework with the default vocabulary merged, and every issue found."""
    issues: list[Issue] = []
    if isinstance(fw_or_dict, Framework):
        data = fw_or_dict.model_dump()
    elif isinstance(fw_or_dict, dict):
        data = _without_extensions(fw_or_dict)
    else:
        issue = Issue(
            "a framework must be a mapping",
            value=type(fw_or_dict).__name__,
            expected="a mapping with code, version and nodes",
        )
        return None, [issue]
    try:
        own = Framework.model_validate(data)
        positions, dropped = list(range(len(own.nodes))), {}
    except pydantic.ValidationError as exc:
        issues += [_from_pydantic(err, data) for err in exc.errors()]
        own, positions, dropped = _salvage(data)
    grounds = merge_grounds(own.grounds)
    fw = own.model_copy(update={"grounds": grounds, "groups": merge_groups(own.groups, grounds)})
    raw_codes = {n.get("code") for n in data.get("nodes") or [] if isinstance(n, dict)}
    issues += _semantic(fw, own, positions, raw_codes, dropped)
    return (None if issues else Framework.model_validate(fw.model_dump())), issues


def _without_extensions(data: dict) -> dict:
    """Drop ``x-`` keys (YAML anchors and notes) at the top level and in nodes."""
    out = {k: v for k, v in data.items() if not str(k).startswith("x-")}
    if isinstance(out.get("nodes"), list):
        out["nodes"] = [
            {k: v for k, v in n.items() if not str(k).startswith("x-")}
            if isinstance(n, dict)
            else n
            for n in out["nodes"]
        ]
    return out


def _from_pydantic(err: dict, data: dict) -> Issue:
    loc = list(err.get("loc", ()))
    section = index = code = None
    if (
        loc
        and loc[0] in ("nodes", "grounds", "groups")
        and len(loc) > 1
        and isinstance(loc[1], int)
    ):
        section, index = loc[0], loc[1]
        item = (data.get(section) or [None] * (index + 1))[index]
        code = item.get("code") if isinstance(item, dict) else None
        loc = loc[2:]
    elif loc and loc[0] == "recognition":
        section, loc = "recognition", loc[1:]
    field = ".".join(str(x) for x in loc) or None
    value = None if err.get("type") == "missing" else err.get("input")
    if isinstance(value, dict | list):
        value = None
    what = f"{field}: " if field else ""
    msg = err.get("msg", "invalid").removeprefix("Value error, ")
    if err.get("type") == "extra_forbidden":
        msg = "unknown field"
    return Issue(
        f"{what}{msg}",
        section,
        index,
        code if isinstance(code, str) else None,
        field,
        value,
        _expected(err),
    )


def _expected(err: dict) -> str | None:
    ctx = err.get("ctx") or {}
    if "expected" in ctx:
        return f"one of {ctx['expected']}"
    if "pattern" in ctx:
        return f"letters, digits, '_', '.', '-' (pattern {ctx['pattern']})"
    return None


def _name(section: str | None, index: int | None, code: object) -> str:
    singular = {"nodes": "node", "grounds": "ground", "groups": "group"}.get(section or "", section)
    if isinstance(code, str) and code:
        return f"{singular} {code!r}" + (f" (#{index + 1})" if index is not None else "")
    return f"{singular} #{index + 1}" if index is not None else str(singular)


def _salvage(data: dict) -> tuple[Framework, list[int], dict[int, set[str]]]:
    """A framework of the parts that are valid on their own, so the other rules can still run.

    Also returns the positions of the nodes kept and the fields dropped from each.
    """
    dropped: dict[int, set[str]] = {}

    def valid(model, items, record=False):
        out = []
        for i, item in enumerate(items if isinstance(items, list) else []):
            obj, lost = _lenient(model, item)
            if obj is not None:
                out.append((i, obj))
                if record and lost:
                    dropped[i] = lost
        return out

    nodes = valid(Node, data.get("nodes"), record=True)
    try:
        recognition = (
            Recognition.model_validate(data["recognition"]) if data.get("recognition") else None
        )
    except pydantic.ValidationError:
        recognition = None
    langs = data.get("languages")
    langs = langs if isinstance(langs, list) and all(isinstance(x, str) for x in langs) else None
    fw = Framework.model_construct(
        code=str(data.get("code") or "?"),
        nodes=[n for _, n in nodes],
        grounds=[g for _, g in valid(Ground, data.get("grounds"))],
        groups=[g for _, g in valid(Group, data.get("groups"))],
        recognition=recognition,
        **({"languages": langs} if langs is not None else {}),
    )
    return fw, [i for i, _ in nodes], dropped


def _lenient(model, item) -> tuple[object | None, set[str]]:
    """Validate ``item`` dropping the fields in error (reported already): (object, dropped)."""
    if not isinstance(item, dict):
        return None, set()
    item, lost = dict(item), set()
    for _ in range(len(item) + 1):
        try:
            return model.model_validate(item), lost
        except pydantic.ValidationError as exc:
            bad = {e["loc"][0] for e in exc.errors() if e.get("loc") and e["loc"][0] in item}
            if not bad or bad & {"code", "definition"}:
                return None, lost
            lost |= bad
            for key in bad:
                item.pop(key)
    return None, lost


# ---------------------------------------------------------------- the rules


def _semantic(
    fw: Framework, own: Framework, positions: list[int], raw_codes: set, dropped: dict
) -> list[Issue]:
    """Every rule beyond the field types. Nodes that lost a field to a type error skip the
    rules that field would confuse (so one mistake gives one problem)."""
    issues: list[Issue] = []
    entries = list(zip(positions, fw.nodes, strict=True))

    def add(i, node, field, message, value=None, expected=None):
        code = node.code if node is not None else None
        section = "nodes" if node is not None else None
        issues.append(Issue(message, section, i, code, field, value, expected))

    if not entries and not raw_codes:
        add(None, None, "nodes", "the framework has no nodes", expected="a root and its indicators")
    _check_codes_and_roots(entries, add)
    _check_parents(entries, raw_codes, add)
    typed = [(i, n) for i, n in entries if "value_type" not in dropped.get(i, ())]
    _check_leaves(entries, typed, add)
    for i, node in entries:
        if i not in dropped:
            _check_node(i, node, fw, add)
    issues += _check_vocabulary(fw, own)
    issues += _check_recognition(fw)
    return issues


def _check_codes_and_roots(entries: list[tuple[int, Node]], add: Add) -> None:
    first: dict[str, int] = {}
    for i, n in entries:
        if n.code in first:
            text = f"duplicate code {n.code!r} (also node #{first[n.code] + 1})"
            add(i, n, "code", text, n.code, "a code used once")
        else:
            first[n.code] = i
    roots = [(i, n) for i, n in entries if n.parent is None]
    if not roots and entries:
        text = "no root node: every node has a parent"
        add(None, None, None, text, expected="exactly one node without a parent")
    for i, n in roots[1:]:
        text = f"a second root (the root is {roots[0][1].code!r})"
        add(i, n, "parent", text, None, "exactly one node without a parent")


def _check_parents(entries: list[tuple[int, Node]], raw_codes: set, add: Add) -> None:
    for i, n in entries:
        if n.parent is not None and n.parent not in raw_codes:
            text = f"unknown parent {n.parent!r}"
            add(i, n, "parent", text, n.parent, "the code of another node")
        if n.parent == n.code:
            text = "a node cannot be its own parent"
            add(i, n, "parent", text, n.parent, "another node's code")
    _check_cycles({n.code: (i, n) for i, n in reversed(entries)}, add)


def _check_leaves(entries: list[tuple[int, Node]], typed: list[tuple[int, Node]], add: Add) -> None:
    """Indicators are leaves and leaves are indicators (``typed``: nodes whose type is known)."""
    children: dict[str, list[str]] = {}
    for _, n in entries:
        if n.parent is not None:
            children.setdefault(n.parent, []).append(n.code)
    for i, n in typed:
        kids = children.get(n.code, [])
        if n.is_indicator and kids:
            text = f"an indicator cannot have children ({', '.join(kids)})"
            add(i, n, "value_type", text, n.value_type, "children only under nodes without a type")
        if not n.is_indicator and not kids:
            text = "a leaf must be an indicator (it has no children)"
            add(i, n, "value_type", text, None, "a value_type: " + ", ".join(VALUE_TYPES))


def _check_cycles(by_code: dict[str, tuple[int, Node]], add: Add) -> None:
    seen_cycles: set[frozenset] = set()
    for start in by_code:
        path: list[str] = []
        code: str | None = start
        while code is not None and code in by_code and code not in path:
            path.append(code)
            code = by_code[code][1].parent
        if code is None or code not in path or code == by_code[code][1].parent:
            continue  # reached the root, an unknown parent, or a self-parent (reported already)
        cycle = path[path.index(code) :]
        first = min(range(len(cycle)), key=lambda k: by_code[cycle[k]][0])
        cycle = cycle[first:] + cycle[:first]  # start at the node that comes first in the file
        if frozenset(cycle) in seen_cycles:
            continue
        seen_cycles.add(frozenset(cycle))
        i, node = by_code[cycle[0]]
        chain = " -> ".join([*cycle, cycle[0]])
        add(
            i,
            node,
            "parent",
            f"parents form a cycle: {chain}",
            node.parent,
            "a tree: following parents leads to the root",
        )


def _check_node(i: int, n: Node, fw: Framework, add: Add) -> None:
    report = partial(add, i, n)
    for lang in fw.languages:
        if not n.labels.get(lang):
            want = f"a label in every language of the framework ({', '.join(fw.languages)})"
            report(f"labels.{lang}", f"no {lang!r} label", None, want)
    if not n.is_indicator:
        for field in INDICATOR_ONLY:
            value = getattr(n, field)
            if value not in (None, []):
                msg = f"only indicators take {field!r} (this node has no value_type)"
                report(field, msg, None if isinstance(value, list) else value, "empty on themes")
        if n.direction != 1:
            report("direction", "only indicators take a direction", n.direction, "empty")
        return
    known = set(fw.ground_codes())
    for ground in n.disaggregations:
        if ground not in known:
            want = f"one of the framework's grounds ({', '.join(sorted(known)[:12])}, ...)"
            report("disaggregations", f"unknown ground {ground!r}", ground, want)
    _check_stages(n, report)
    if n.value_type == "text":
        for field in ("lower", "optimum", "green", "red"):
            if (value := getattr(n, field)) is not None:
                report(field, f"a text indicator takes no {field!r}", value, "empty")
        return
    if _check_goalposts(n, report):
        _check_thresholds(n, report)


def _check_stages(n: Node, report: Callable) -> None:
    if n.value_type == "stage":
        if len(n.stages) < 2:
            msg = f"a stage indicator needs at least 2 stages, has {len(n.stages)}"
            report("stages", msg, len(n.stages), "2 or more stages, worst first")
        codes = [s.code for s in n.stages]
        for dup in sorted({c for c in codes if codes.count(c) > 1}):
            report("stages", f"duplicate stage {dup!r}", dup, "each stage code once")
    elif n.stages:
        msg = f"only stage indicators take stages (value_type is {n.value_type})"
        report("stages", msg, None, "no stages")


def _check_goalposts(n: Node, report: Callable) -> bool:
    """Goalposts present, distinct, on the scale and ordered by direction; True when usable."""
    if n.value_type == "stage" and len(n.stages) < 2:
        return False
    ok = True
    if n.value_type in QUANTITATIVE:
        for field in ("lower", "optimum"):
            if getattr(n, field) is None:
                msg = f"a {n.value_type} indicator needs {field!r}"
                report(field, msg, None, "a number (lower scores 0, optimum scores 100)")
                ok = False
    top = n.scale_max()
    if n.value_type in QUALITATIVE and top is not None:
        for field, value in (("lower", n.lower), ("optimum", n.optimum)):
            if value is not None and not 0 <= value <= top:
                msg = f"{field} {value:g} is off the {n.value_type} scale 0..{top:g}"
                report(field, msg, value, f"a value from 0 to {top:g}")
                ok = False
    lower, optimum = n.goalposts()
    if not ok or lower is None or optimum is None:
        return False
    if lower == optimum:
        msg = f"lower and optimum are equal ({lower:g})"
        report("optimum", msg, optimum, "different values: lower scores 0, optimum scores 100")
        return False
    if (optimum > lower) != (n.direction == 1):
        msg = f"goalposts lower={lower:g}, optimum={optimum:g} contradict direction {n.direction}"
        want = "optimum > lower" if n.direction == 1 else "optimum < lower (lower is better)"
        report("direction", msg, n.direction, want)
        return False
    return True


def _check_thresholds(n: Node, report: Callable) -> None:
    lower, optimum = n.goalposts()
    lo, hi = min(lower, optimum), max(lower, optimum)
    inside = True
    for field in ("green", "red"):
        value = getattr(n, field)
        if value is not None and not lo <= value <= hi:
            msg = f"{field} threshold {value:g} is outside the goalposts {lower:g}..{optimum:g}"
            report(field, msg, value, f"a value from {lo:g} to {hi:g}")
            inside = False
    if inside and n.green is not None and n.red is not None:
        if not (n.green > n.red if n.direction == 1 else n.green < n.red):
            want = "green > red" if n.direction == 1 else "green < red (direction -1)"
            report("green", f"green {n.green:g} is not better than red {n.red:g}", n.green, want)


def _check_vocabulary(fw: Framework, own: Framework) -> list[Issue]:
    issues: list[Issue] = []
    for section, items in (("grounds", own.grounds), ("groups", own.groups)):
        codes = [x.code for x in items]
        for idx, code in enumerate(codes):
            if code in codes[:idx]:
                msg = f"duplicate {section[:-1]} {code!r}"
                issues.append(Issue(msg, section, idx, code, "code", code, "a code used once"))
    grounds = {g.code: g for g in fw.grounds}
    for group in fw.groups:
        issue = partial(Issue, section="groups", code=group.code, field="definition")
        for part in group.definition.split(";"):
            ground, eq, values = (x.strip() for x in part.partition("="))
            if not eq or not ground or not values:
                msg = f"malformed condition {part.strip()!r}"
                issues.append(issue(msg, value=part.strip(), expected="ground=value[;...]"))
            elif ground not in grounds:
                msg = f"unknown ground {ground!r}"
                issues.append(issue(msg, value=ground, expected="a ground code"))
            elif accepted := grounds[ground].values:
                for v in (v.strip() for v in values.split("|")):
                    if v not in accepted:
                        msg = f"{v!r} is not a value of ground {ground!r}"
                        issues.append(issue(msg, value=v, expected=f"one of {', '.join(accepted)}"))
    return issues


def _check_recognition(fw: Framework) -> list[Issue]:
    if fw.recognition is None:
        return []
    issues = []
    numbers = [lv.level for lv in fw.recognition.levels]
    for idx, number in enumerate(numbers):
        if number in numbers[:idx]:
            msg = f"recognition level {number} is defined twice"
            field = f"levels.{idx}.level"
            issues.append(Issue(msg, "recognition", None, None, field, number, "each level once"))
    return issues
