"""Loading, validating and saving frameworks.

``load_framework`` accepts a YAML path, a bundled name (``social-inclusion-marker``), a dict or a
:class:`Framework`. Every framework is validated once, here, at the boundary: every problem is
collected (see :mod:`rightsmarker.framework.checks`) and reported together in one
:class:`~rightsmarker.errors.FrameworkError`. The default grounds and groups
(:mod:`rightsmarker.framework.vocabulary`) are merged in on load and left out again on save.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import FrameworkError, Problem, UnknownNameError
from .checks import Issue, check_framework
from .model import Framework
from .vocabulary import DEFAULT_GROUNDS, DEFAULT_GROUPS, strip_defaults

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "frameworks"
SCHEMA_ID = "https://github.com/rightsmarker/rightsmarker/docs/reference/framework-schema.json"
TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")
_SUFFIXES = (".yaml", ".yml", ".json", *TABLE_SUFFIXES)
_KEY_ORDER = (
    "code",
    "version",
    "labels",
    "description",
    "languages",
    "depth_names",
    "grounds",
    "groups",
    "recognition",
    "nodes",
)


_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~8x faster


class _Loader(_BASE_LOADER):
    """YAML 1.2 booleans: only true/false are booleans, so ``code: no`` stays the string "no"."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _BASE_LOADER.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def yaml_load(text: str, source: str | None = None) -> Any:
    """Parse YAML (YAML 1.2 booleans); a syntax error becomes a FrameworkError naming the line."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = Problem(
            message=f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            file=source,
            row=mark.line + 1 if mark is not None else None,
        )
        raise FrameworkError("cannot read the framework file", [problem]) from None


def yaml_dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


# ---------------------------------------------------------------- bundled frameworks


def bundled_frameworks() -> list[str]:
    """Names of the frameworks shipped with the package (``social-inclusion-marker``, ...)."""
    if not BUNDLED_DIR.is_dir():
        return []
    return sorted({p.stem for p in BUNDLED_DIR.iterdir() if p.suffix in (".yaml", ".yml")})


def _bundled_path(name: str) -> Path | None:
    for suffix in (".yaml", ".yml"):
        path = BUNDLED_DIR / f"{name}{suffix}"
        if path.is_file():
            return path
    return None


def resolve_framework_path(path_or_name: str | Path) -> Path:
    """The file behind a path or a bundled name; a bare unknown name raises UnknownNameError."""
    path = Path(path_or_name)
    if path.is_file():
        return path
    text = str(path_or_name)
    looks_like_path = (
        isinstance(path_or_name, Path)
        or text.endswith(_SUFFIXES)
        or any(sep in text for sep in ("/", "\\"))
    )
    if not looks_like_path:
        found = _bundled_path(text)
        if found is not None:
            return found
        err = UnknownNameError("framework", text, bundled_frameworks())
        err.hint = "give a path to a YAML file or a bundled name (`rightsmarker framework list`)"
        raise err
    raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), text)


# ---------------------------------------------------------------- load / validate


def load_framework(path_or_name: str | Path | dict | Framework) -> Framework:
    """Load and validate a framework from a YAML path, a bundled name, a dict or a Framework.

    A ``.csv`` or ``.xlsx`` path is read as a framework table (:func:`.table.from_table`).
    A :class:`Framework` is returned as is. Anything else is validated (every problem reported in
    one :class:`FrameworkError`) and gets the default grounds and groups merged in.
    """
    if isinstance(path_or_name, Framework):
        return path_or_name
    if isinstance(path_or_name, dict):
        return validate_framework(path_or_name)
    path = resolve_framework_path(path_or_name)
    if path.suffix.lower() in TABLE_SUFFIXES:
        from .table import from_table

        return from_table(path)
    data = yaml_load(path.read_text(encoding="utf-8-sig"), source=str(path))
    return validate_framework(data, source=str(path))


def validate_framework(fw_or_dict: Framework | dict, source: str | None = None) -> Framework:
    """Check a framework against every rule; return it (vocabulary merged) or raise FrameworkError.

    Each problem names the node (its position and code) and the field, the value found and what
    was expected. ``source`` (a file name) is put on every problem.
    """
    fw, issues = check_framework(fw_or_dict)
    if issues:
        problems = [issue_to_problem(i, source) for i in issues]
        name = source or (fw_or_dict.get("code") if isinstance(fw_or_dict, dict) else None)
        summary = f"invalid framework {name}" if name else "invalid framework"
        raise FrameworkError(
            str(summary),
            problems,
            hint="fix every problem listed; docs/guide/framework.md describes each field and rule",
        )
    assert fw is not None
    return fw


def issue_to_problem(issue: Issue, source: str | None = None) -> Problem:
    """A checker issue as a Problem whose column reads ``<node code>/<field>``."""
    if issue.section == "nodes":
        head = issue.code if issue.code else f"nodes[{issue.index}]"
    elif issue.section:
        head = issue.section if issue.index is None else f"{issue.section}[{issue.index}]"
        if issue.code:
            head = f"{issue.section}/{issue.code}"
    else:
        head = None
    column = "/".join(x for x in (head, issue.field) if x) or None
    return Problem(
        message=issue.text(),
        file=source,
        row=None,
        column=column,
        value=issue.value,
        expected=issue.expected,
    )


# ---------------------------------------------------------------- save


def _tidy(value: Any) -> Any:
    """Whole floats written as integers (``40`` rather than ``40.0``), recursively."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _tidy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    return value


def framework_to_dict(fw: Framework, nodes: bool = True) -> dict:
    """The framework as plain data, defaults and the default vocabulary left out."""
    data = fw.model_dump(mode="json", exclude_defaults=True, exclude={"grounds", "groups"})
    grounds = strip_defaults(fw.grounds, DEFAULT_GROUNDS)
    groups = strip_defaults(fw.groups, DEFAULT_GROUPS)
    if grounds:
        data["grounds"] = [g.model_dump(mode="json", exclude_defaults=True) for g in grounds]
    if groups:
        data["groups"] = [g.model_dump(mode="json", exclude_defaults=True) for g in groups]
    data["code"], data["version"] = fw.code, fw.version  # always written, even when default
    if not nodes:
        data.pop("nodes", None)
    ordered = {k: data[k] for k in _KEY_ORDER if k in data}
    return _tidy(ordered)


def save_framework(fw: Framework, path: str | Path) -> Path:
    """Write the framework as YAML; ``load_framework(path) == fw`` for a loaded framework."""
    path = Path(path)
    header = (
        f"# rightsmarker framework {fw.code}, version {fw.version}\n"
        "# Format: docs/guide/framework.md; JSON Schema: docs/reference/framework-schema.json\n"
    )
    path.write_text(header + yaml_dump(framework_to_dict(fw)), encoding="utf-8")
    return path


# ---------------------------------------------------------------- schema


def framework_schema() -> dict:
    """The JSON Schema of the framework file (pydantic's, plus ``x-`` extension keys)."""
    schema = Framework.model_json_schema()
    schema["patternProperties"] = {"^x-": {}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }
