"""A scoring method: the build as data, a list of ``(step, params)`` records.

A method is JSON-serialisable and stored with every result; re-running the same list on the
same data reproduces the results exactly, and changing one record is how "what if" works.

YAML form::

    name: goalposts
    options: {target_year: 2030}
    steps:
      - step: impute
        params: {method: none}
      - step: normalise
        params: {method: goalposts}
      - step: aggregate
        params: {method: arithmetic, min_coverage: 0.5}
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from ..errors import MethodError, Problem

STEP_ORDER = ["denominate", "impute", "treat", "normalise", "weight", "aggregate"]
_BUILTIN_STEP_MODULES = ("denominate", "impute", "treat", "normalise", "weights", "aggregate")


def register_builtin_steps() -> None:
    """Import the built-in step modules so that they register themselves."""
    for name in _BUILTIN_STEP_MODULES:
        importlib.import_module(f"rightsmarker.engine.{name}")


class StepRecord(BaseModel):
    """One build step: its registered name and the user's parameters (stored unchanged)."""

    model_config = ConfigDict(extra="forbid")
    step: str
    params: dict[str, Any] = Field(default_factory=dict)


class MethodOptions(BaseModel):
    """Options that shape the results beyond the build steps."""

    model_config = ConfigDict(extra="forbid")
    target_year: int = 2030
    trend_window: int = Field(default=1, ge=1, description="periods back used for trend arrows")
    rank_ties: str = Field(default="min", pattern="^(min|dense|max|first)$")


class Method(BaseModel):
    """A named, versioned list of build steps."""

    model_config = ConfigDict(extra="forbid")
    name: str = "custom"
    version: str = "1"
    description: str | None = None
    options: MethodOptions = Field(default_factory=MethodOptions)
    steps: list[StepRecord]

    def step_names(self) -> list[str]:
        return [s.step for s in self.steps]

    def to_dict(self) -> dict:
        return self.model_dump(mode="json")

    def to_yaml(self, path: str | Path | None = None) -> str:
        text = yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def with_changes(self, changes: dict[str | int, dict | None] | list[dict]) -> Method:
        """A copy with changed step records.

        ``changes`` maps a step name (its first occurrence) or a position to new params (merged
        into the old ones), to ``{"replace": {...}}`` to replace them, or to ``None`` to drop the
        step. A list of records replaces the whole step list.
        """
        if isinstance(changes, list):
            return validate_method({**self.to_dict(), "steps": changes})
        records = [s.model_copy(deep=True) for s in self.steps]
        drop: set[int] = set()
        for key, new in changes.items():
            idx = self._position(key)
            if new is None:
                drop.add(idx)
            elif "replace" in new and len(new) == 1:
                records[idx].params = dict(new["replace"])
            else:
                records[idx].params = {**records[idx].params, **new}
        kept = [r.model_dump() for i, r in enumerate(records) if i not in drop]
        return validate_method({**self.to_dict(), "steps": kept})

    def _position(self, key: str | int) -> int:
        if isinstance(key, int):
            if not 0 <= key < len(self.steps):
                raise MethodError(
                    "bad change", [Problem(f"no step at position {key}", column="steps")]
                )
            return key
        for i, s in enumerate(self.steps):
            if s.step == key:
                return i
        raise MethodError(
            "bad change",
            [
                Problem(
                    f"the method has no step {key!r}",
                    column="steps",
                    expected=str(self.step_names()),
                )
            ],
        )


DEFAULT_METHOD = {
    "name": "goalposts-arithmetic",
    "description": "Goalpost normalisation (comparable across cycles), no imputation, "
    "weighted arithmetic means with at least half of each node's children reported.",
    "steps": [
        {"step": "denominate", "params": {}},
        {"step": "normalise", "params": {"method": "goalposts"}},
        {"step": "weight", "params": {"method": "framework"}},
        {"step": "aggregate", "params": {"method": "arithmetic", "min_coverage": 0.5}},
    ],
}


def validate_method(data: dict, source: str | None = None) -> Method:
    """Check a method dict: known steps, a normalise step before aggregate, one aggregate."""
    from ..registry import steps as step_registry

    register_builtin_steps()
    try:
        method = Method.model_validate(data)
    except PydanticValidationError as exc:
        problems = [
            Problem(
                e["msg"],
                file=source,
                column=".".join(str(p) for p in e["loc"]),
                value=e.get("input") if not isinstance(e.get("input"), dict) else None,
            )
            for e in exc.errors()
        ]
        raise MethodError("invalid method", problems) from None
    problems = []
    names = method.step_names()
    for i, name in enumerate(names):
        if name not in step_registry:
            problems.append(
                Problem(
                    f"unknown step {name!r}",
                    file=source,
                    column=f"steps[{i}].step",
                    expected=", ".join(step_registry.names()),
                )
            )
    if names.count("aggregate") != 1:
        problems.append(
            Problem(
                "a method needs exactly one aggregate step",
                file=source,
                column="steps",
                value=names.count("aggregate"),
            )
        )
    if "normalise" not in names:
        problems.append(Problem("a method needs a normalise step", file=source, column="steps"))
    elif "aggregate" in names and names.index("normalise") > names.index("aggregate"):
        problems.append(
            Problem("normalise must come before aggregate", file=source, column="steps")
        )
    if problems:
        raise MethodError("invalid method", problems)
    return method


def load_method(source: str | Path | dict | Method | None = None) -> Method:
    """Load a method from YAML/JSON, a dict or a ``build.json`` record; ``None``: the default."""
    if source is None:
        return validate_method(DEFAULT_METHOD, "default method")
    if isinstance(source, Method):
        return source
    if isinstance(source, dict):
        return validate_method(source.get("method", source))
    path = Path(source)
    if not path.exists():
        if str(source) in ("default", DEFAULT_METHOD["name"]):
            return validate_method(DEFAULT_METHOD, "default method")
        raise MethodError(
            "method file not found",
            [Problem("no such file", file=str(source))],
            hint="give a YAML file with a 'steps' list, or 'default'",
        )
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise MethodError(
            "method file is not valid YAML/JSON",
            [Problem(str(exc).splitlines()[0], file=str(path))],
        ) from None
    if not isinstance(data, dict):
        raise MethodError(
            "invalid method", [Problem("expected a mapping with 'steps'", file=str(path))]
        )
    return validate_method(data.get("method", data), str(path))
