"""Synthetic frameworks and observations for benchmarks and tests (labelled as synthetic).

``synthesize(cities, indicators, periods)`` builds a framework (root -> 5 themes -> sub-themes of
up to 10 indicators), a long observation table with totals only, and a default method. Values
come from a latent city level plus a trend and noise, so scores and ranks are not random.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .engine.method import DEFAULT_METHOD, Method, load_method
from .framework.model import Framework

STAGES = ["none", "planned", "adopted", "implemented", "evaluated"]
N_THEMES = 5
PER_SUBTHEME = 10


@dataclass
class Synthetic:
    """A synthetic framework, its observations (long DataFrame) and a method."""

    framework: Framework
    observations: pd.DataFrame
    method: Method

    def write(self, out: str | Path) -> list[Path]:
        from .framework.io import save_framework

        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        paths = [out / "framework.yaml", out / "observations.parquet", out / "method.yaml"]
        save_framework(self.framework, paths[0])
        self.observations.to_parquet(paths[1], index=False)
        self.method.to_yaml(paths[2])
        return paths


def _indicator(i: int, parent: str, rng: np.random.Generator) -> dict:
    code = f"I{i + 1:04d}"
    base = {"code": code, "parent": parent, "kind": ("structural", "process", "outcome")[i % 3],
            "labels": {"en": f"Synthetic indicator {i + 1}", "ko": f"합성 지표 {i + 1}"}}
    if i % 20 == 0:
        return {**base, "value_type": "yes_no", "unit": "yes/no"}
    if i % 20 == 10:
        return {**base, "value_type": "stage", "unit": "stage",
                "stages": [{"code": s, "labels": {"en": s}} for s in STAGES]}
    direction = -1 if i % 4 == 3 else 1
    lower, optimum = (100.0, 0.0) if direction == -1 else (0.0, 100.0)
    green = optimum - direction * 20
    red = lower + direction * 40
    vt = "percent" if i % 2 else "number"
    return {**base, "value_type": vt, "unit": "%" if vt == "percent" else "index",
            "direction": direction, "lower": lower, "optimum": optimum, "green": green, "red": red,
            "weight": float(rng.choice([1.0, 1.0, 2.0]))}


def synth_framework(indicators: int, seed: int = 0) -> Framework:
    rng = np.random.default_rng(seed)
    nodes = [{"code": "SYN",
              "labels": {"en": "Synthetic index (synthetic data)", "ko": "합성 지수"}}]
    n_sub = max(1, -(-indicators // PER_SUBTHEME))
    themes = [f"T{t + 1}" for t in range(min(N_THEMES, n_sub))]
    nodes += [{"code": t, "parent": "SYN", "labels": {"en": f"Theme {t}", "ko": f"주제 {t}"}}
              for t in themes]
    subs = [f"{themes[s % len(themes)]}.S{s // len(themes) + 1}" for s in range(n_sub)]
    nodes += [{"code": s, "parent": s.split(".")[0], "labels": {"en": f"Sub-theme {s}", "ko": s}}
              for s in subs]
    nodes += [_indicator(i, subs[i // PER_SUBTHEME], rng) for i in range(indicators)]
    return Framework.model_validate({
        "code": "synthetic", "version": "1", "labels": {"en": "Synthetic framework", "ko": "합성"},
        "description": {"en": "Synthetic data for benchmarks; not real cities."}, "nodes": nodes})


def synth_observations(fw: Framework, cities: int, periods: int, seed: int = 0,
                       missing: float = 0.02) -> pd.DataFrame:
    """Totals for every city, indicator and period, vectorised (no loops over rows)."""
    rng = np.random.default_rng(seed)
    inds = fw.indicators
    k = len(inds)
    level = rng.normal(0.5, 0.15, size=(cities, 1, 1))
    trend = rng.normal(0.01, 0.01, size=(cities, 1, 1))
    t = np.arange(periods).reshape(1, periods, 1)
    q = np.clip(level + trend * t + rng.normal(0, 0.12, size=(cities, periods, k)), 0, 1)
    values = np.empty_like(q)
    for j, node in enumerate(inds):
        col = q[:, :, j]
        if node.value_type == "yes_no":
            values[:, :, j] = (col > 0.5).astype(float)
        elif node.value_type == "stage":
            values[:, :, j] = np.floor(col * 4.999)
        else:
            values[:, :, j] = np.round(node.lower + (node.optimum - node.lower) * col, 3)
    values[rng.random(values.shape) < missing] = np.nan
    units = np.array([f"C{c + 1:05d}" for c in range(cities)], dtype=object)
    years = 2016 + np.arange(periods)
    codes = np.array([n.code for n in inds], dtype=object)
    df = pd.DataFrame({
        "unit": np.repeat(units, periods * k),
        "period": np.tile(np.repeat(years, k), cities),
        "indicator": np.tile(codes, cities * periods),
        "group": "total",
        "value": values.ravel(),
    })
    return df[df["value"].notna()].reset_index(drop=True)


def synthesize(cities: int = 20, indicators: int = 30, periods: int = 3,
               seed: int = 0) -> Synthetic:
    """A synthetic framework, observations and the default method (all labelled synthetic)."""
    fw = synth_framework(indicators, seed)
    obs = synth_observations(fw, cities, periods, seed)
    method = load_method({**DEFAULT_METHOD, "name": "synthetic-default"})
    return Synthetic(fw, obs, method)
