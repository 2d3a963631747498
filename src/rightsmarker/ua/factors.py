"""Uncertain factors: what varies between the runs of an uncertainty or sensitivity analysis.

A factors file (YAML) is a list of factors, each with a ``name`` and a ``type``::

    factors:
      - name: normalisation
        type: normalisation          # step "normalise"; alternatives replace its method
        alternatives:
          - {method: minmax, low: 1, high: 100}
          - {method: zscore, mean: 10, sd: 2}
      - name: weights
        type: weights                # w * (1 + U(-f, f)) for the nodes of these levels
        f: 0.25
        levels: [2, 3]               # counted from the indicators (1), as COINr does
      - name: aggregation
        type: aggregation            # step "aggregate"
        alternatives: [{method: arithmetic}, {method: geometric}]

Other types: ``imputation`` (step ``impute``), ``winsorisation`` (``alternatives`` are
``winmax`` values of step ``treat``), ``drop`` (drop one of ``elements``, or of the nodes at
``level`` / ``depth``, per run; ``none: true``, the default, adds "drop nothing"). A weights
factor with ``sets: 100`` (and ``seed``) draws 100 noisy weight vectors once and each run takes one
of them, as COINr's ``get_noisy_weights`` design does.

Every factor reads its own columns of a ``runs x width`` matrix of uniform numbers in
``[0, 1)``: a discrete factor one column (``u`` picks alternative ``floor(u * k)``), a weights
factor one column per perturbed node (noise ``f * (2u - 1)``). The same matrix type serves the
random uncertainty design and the Saltelli sensitivity design.
"""

from __future__ import annotations

import inspect
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import MethodError, Problem

STEP_OF = {"normalisation": "normalise", "imputation": "impute",
           "aggregation": "aggregate", "winsorisation": "treat"}
TYPES = (*STEP_OF, "weights", "drop")
DEFAULT_METHOD = {"normalise": "minmax", "impute": "none", "aggregate": "arithmetic",
                  "treat": "winsorise"}


def _registry(step: str):
    from .. import registry

    return {"normalise": registry.normalisers, "impute": registry.imputers,
            "aggregate": registry.aggregators, "treat": registry.treaters}[step]


@dataclass
class Factor:
    """One uncertain factor, resolved against a framework (concrete alternatives / codes)."""

    name: str
    type: str
    alternatives: list[Any] = field(default_factory=list)
    f: float = 0.0
    codes: list[str] = field(default_factory=list)   # weights: the perturbed nodes
    table: np.ndarray | None = None                  # weights with ``sets``: sets x nodes

    @property
    def step(self) -> str | None:
        return STEP_OF.get(self.type)

    @property
    def discrete(self) -> bool:
        return self.type != "weights"

    @property
    def width(self) -> int:
        return len(self.codes) if self.type == "weights" and self.table is None else 1

    def label(self, i: int) -> str:
        """A short text for alternative ``i``."""
        alt = self.alternatives[i]
        if isinstance(alt, dict):
            rest = ", ".join(f"{k}={v}" for k, v in alt.items() if k != "method")
            return f"{alt.get('method', '?')}({rest})" if rest else str(alt.get("method", "?"))
        return "none" if alt is None else str(alt)

    def decode(self, u: np.ndarray) -> np.ndarray:
        """Alternative indices (discrete) or multipliers ``1 + f (2u - 1)`` (weights)."""
        if self.type == "weights" and self.table is None:
            return 1.0 + self.f * (2.0 * u - 1.0)
        if self.type == "weights":
            k = self.table.shape[0]
            return self.table[np.minimum((u[:, 0] * k).astype(np.int64), k - 1)]
        k = len(self.alternatives)
        return np.minimum((u[:, 0] * k).astype(np.int64), k - 1)


# ---- loading and checking ----------------------------------------------------------------


def load_factors(source, framework) -> list[Factor]:
    """Factors from a YAML/JSON path, a list of dicts or ``{"factors": [...]}``, checked and
    resolved against ``framework`` (the elements to drop, the nodes whose weights vary)."""
    file = None
    if isinstance(source, (str, Path)):
        file = str(source)
        path = Path(source)
        if not path.exists():
            raise MethodError("factors file not found", [Problem("no such file", file=file)],
                              hint="give a YAML file with a 'factors' list")
        import yaml

        source = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(source, dict):
        source = source.get("factors")
    if not isinstance(source, list) or not source:
        raise MethodError("invalid factors", [Problem("expected a non-empty list of factors",
                                                      file=file, column="factors")])
    if source and isinstance(source[0], Factor):
        return list(source)
    from ..engine.method import register_builtin_steps

    register_builtin_steps()
    factors, problems = [], []
    for i, spec in enumerate(source):
        where = f"factors[{i}]"
        try:
            factors.append(_factor(spec, framework, where))
        except _Bad as exc:
            problems.append(Problem(exc.args[0], file=file, column=exc.args[1],
                                    value=exc.args[2], expected=exc.args[3]))
    names = [f.name for f in factors]
    for n in {n for n in names if names.count(n) > 1}:
        problems.append(Problem("duplicate factor name", file=file, column="name", value=n))
    if problems:
        raise MethodError("invalid factors", problems)
    return factors


class _Bad(Exception):
    """message, column, value, expected"""


def _factor(spec, fw, where: str) -> Factor:
    if not isinstance(spec, dict):
        raise _Bad("a factor must be a mapping", where, spec, "{name, type, ...}")
    kind = spec.get("type")
    if kind not in TYPES:
        raise _Bad("unknown factor type", f"{where}.type", kind, ", ".join(TYPES))
    name = str(spec.get("name") or kind)
    allowed = {"name", "type", "description"} | {
        "weights": {"f", "levels", "depths", "sets", "seed"},
        "drop": {"elements", "level", "depth", "none"},
    }.get(kind, {"alternatives"})
    extra = sorted(set(spec) - allowed)
    if extra:
        raise _Bad("unknown field", f"{where}.{extra[0]}", extra[0], ", ".join(sorted(allowed)))
    if kind == "weights":
        return _weights_factor(spec, fw, name, where)
    if kind == "drop":
        return Factor(name, kind, _drop_alternatives(spec, fw, where))
    alts = spec.get("alternatives")
    if not isinstance(alts, list) or len(alts) < 2:
        raise _Bad("needs at least two alternatives", f"{where}.alternatives", alts, "a list")
    if kind == "winsorisation":
        for a in alts:
            if not (isinstance(a, int) and not isinstance(a, bool) and a >= 0):
                raise _Bad("bad winmax", f"{where}.alternatives", a, "whole numbers >= 0")
        return Factor(name, kind, list(alts))
    reg = _registry(STEP_OF[kind])
    for a in alts:
        if not isinstance(a, dict) or not isinstance(a.get("method"), str):
            raise _Bad("bad alternative", f"{where}.alternatives", a, "{method: name, ...}")
        if a["method"] not in reg:
            raise _Bad(f"unknown {reg.kind}", f"{where}.alternatives", a["method"],
                       ", ".join(reg.names()))
    return Factor(name, kind, [dict(a) for a in alts])


def _depths(spec, fw, where) -> list[int]:
    """Framework depths from ``depths`` or COINr-style ``levels`` (1 = the indicators)."""
    if "depths" in spec:
        vals = spec["depths"]
        vals = vals if isinstance(vals, list) else [vals]
        return [int(v) for v in vals]
    vals = spec.get("levels", spec.get("level"))
    vals = vals if isinstance(vals, list) else [vals]
    bottom = max(fw.depths[c] for c in fw.indicator_codes)
    for v in vals:
        if not isinstance(v, int) or not 1 <= v <= bottom + 1:
            raise _Bad("bad level", f"{where}.levels", v, f"whole numbers 1..{bottom + 1}")
    return [bottom + 1 - int(v) for v in vals]


def _weights_factor(spec, fw, name, where) -> Factor:
    f = spec.get("f")
    if not isinstance(f, (int, float)) or isinstance(f, bool) or not 0 <= f < 1:
        raise _Bad("bad noise factor", f"{where}.f", f, "a number in [0, 1)")
    if "levels" not in spec and "depths" not in spec:
        raise _Bad("missing levels", f"{where}.levels", None, "a list of levels (1 = indicators)")
    depths = _depths(spec, fw, where)
    codes = [n.code for n in fw.nodes if n.parent is not None and fw.depths[n.code] in depths]
    if not codes:
        raise _Bad("no nodes at these levels", f"{where}.levels", depths, "levels below the root")
    factor = Factor(name, "weights", [], float(f), codes)
    sets = spec.get("sets")
    if sets is not None:   # COINr's design: a fixed set of noisy weight vectors, one per run
        if not isinstance(sets, int) or isinstance(sets, bool) or sets < 1:
            raise _Bad("bad number of weight sets", f"{where}.sets", sets, "a whole number >= 1")
        u = np.random.default_rng(int(spec.get("seed", 0))).random((sets, len(codes)))
        factor.table = 1.0 + factor.f * (2.0 * u - 1.0)
        factor.alternatives = [f"set {i + 1}" for i in range(sets)]
    return factor


def _drop_alternatives(spec, fw, where) -> list:
    if "elements" in spec:
        codes = list(spec["elements"])
    else:
        sel = {"depths": spec["depth"]} if "depth" in spec else {"levels": spec.get("level", 1)}
        depths = _depths(sel, fw, where)
        codes = [n.code for n in fw.nodes if n.parent is not None and fw.depths[n.code] in depths]
    unknown = [c for c in codes if c not in fw or c == fw.root]
    if unknown:
        raise _Bad("unknown element", f"{where}.elements", unknown, "node codes below the root")
    alts = ([None] if spec.get("none", True) else []) + codes
    if not codes:
        raise _Bad("nothing to drop", f"{where}.elements", codes, "at least one element")
    return alts


# ---- what a run changes --------------------------------------------------------------------


def method_params(step: str, nominal: dict, alternative) -> dict:
    """The step's params with the method replaced by ``alternative`` (step-level keys kept)."""
    if step == "treat":
        return {**nominal, "winmax": alternative}
    name = nominal.get("method", DEFAULT_METHOD[step])
    own: set[str] = set()
    reg = _registry(step)
    if name in reg:
        sig = inspect.signature(reg.get(name))
        own = {n for n, p in sig.parameters.items() if p.kind is p.KEYWORD_ONLY}
    kept = {k: v for k, v in nominal.items() if k != "method" and k not in own}
    return {**kept, **alternative}


def describe(factors: list[Factor]) -> list[dict]:
    """A JSON-serialisable description of the factors (for records)."""
    out = []
    for f in factors:
        d = {"name": f.name, "type": f.type}
        if f.type == "weights":
            d.update(f=f.f, nodes=f.codes)
            if f.table is not None:
                d["sets"] = int(f.table.shape[0])
        else:
            d["alternatives"] = json.loads(json.dumps(f.alternatives, default=str))
        out.append(d)
    return out
