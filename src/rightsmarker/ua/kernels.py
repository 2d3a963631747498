"""The aggregate step for many runs at once: weights ``runs x children``, values
``runs x rows x children``, missing values and dropped children masked.

It follows :func:`rightsmarker.engine.aggregate.aggregate` exactly: nodes deepest first; per
node the method of the step's plan (``method``, ``by_depth``, ``by_node``); missing children
dropped and the weights re-scaled; ``min_coverage`` by weight or by count. The built-in
arithmetic, geometric, harmonic and generalised means are computed as array operations over
the runs; any other registered aggregator (Copeland, an extension) is called run by run. The
first run of every node is also computed by the registered aggregator and compared, so a
vectorised kernel that disagrees with the engine is never used.
"""

from __future__ import annotations

import numpy as np

from ..errors import DataError

TOL = 1e-9


def _wsum(V: np.ndarray, W: np.ndarray) -> np.ndarray:
    """``sum_k V[r, n, k] W[r, k]`` -> ``runs x rows``."""
    return np.einsum("rnk,rk->rn", V, W, optimize=False)


def _nonpositive(Z: np.ndarray, m: np.ndarray, strict: bool = True) -> np.ndarray:
    bad = (Z <= 0) if strict else (Z < 0)
    return (bad & m).any(axis=(1, 2))


def _arithmetic(X, m, W, sw):
    return _wsum(np.where(m, X, 0.0), W) / sw, np.zeros(X.shape[0], dtype=bool)


def _geometric(X, m, W, sw, offset: float = 0.0):
    Z = X + offset
    logs = np.where(m, np.log(np.where(m & (Z > 0), Z, 1.0)), 0.0)
    return np.exp(_wsum(logs, W) / sw) - offset, _nonpositive(Z, m)


def _harmonic(X, m, W, sw, offset: float = 0.0):
    Z = X + offset
    inv = np.where(m, 1.0 / np.where(m & (Z > 0), Z, 1.0), 0.0)
    return sw / _wsum(inv, W) - offset, _nonpositive(Z, m)


def _generalised(X, m, W, sw, p: float = 1.0):
    base = np.where(m & (X >= 0), X, 1.0)
    powers = np.where(m, base**p, 0.0)
    return (_wsum(powers, W) / sw) ** (1.0 / p), _nonpositive(X, m, strict=p < 0)


KERNELS = {"arithmetic": _arithmetic, "geometric": _geometric, "harmonic": _harmonic,
           "generalised": _generalised}


def _vectorised(name: str):
    """The kernel for ``name`` if the registered aggregator is the engine's built-in one."""
    from ..engine import aggregate as engine_aggregate
    from ..registry import aggregators

    fn = aggregators.get(name)
    if name in KERNELS and fn is getattr(engine_aggregate, name, None):
        return KERNELS[name]
    return None


def _loop(fn, spec, X, P, W, by, runs=None) -> tuple[np.ndarray, np.ndarray]:
    """The registered aggregator called run by run (children of the run only)."""
    R, n, _ = X.shape
    y, bad = np.full((R, n), np.nan), np.zeros(R, dtype=bool)
    for r in range(R) if runs is None else runs:
        keep = P[r]
        if not keep.any():
            continue
        try:
            with np.errstate(all="ignore"):
                y[r] = fn(X[r][:, keep], W[r, keep], by, **spec)
        except DataError:
            bad[r] = True
    return y, bad


def _node(name, spec, X, P, W, by):
    """One node's values for every run, and the runs that failed."""
    from ..registry import aggregators

    fn = aggregators.get(name)
    kernel = _vectorised(name)
    if kernel is None:
        return _loop(fn, spec, X, P, W, by)
    m = ~np.isnan(X) & P[:, None, :]
    Wp = np.where(P, W, 0.0)
    sw = _wsum(m.astype(float), Wp)
    with np.errstate(all="ignore"):
        y, bad = kernel(X, m, Wp, np.where(sw > 0, sw, np.nan), **spec)
    ok = np.flatnonzero(~bad)
    if len(ok):  # check the kernel against the engine on one run
        ref, ref_bad = _loop(fn, spec, X, P, W, by, runs=[ok[0]])
        a, b = y[ok[0]], ref[ok[0]]
        same = np.allclose(a, b, rtol=TOL, atol=TOL, equal_nan=True) and not ref_bad[ok[0]]
        if not same:
            return _loop(fn, spec, X, P, W, by)
    return y, bad


def _coverage(X, P, W, by_weight: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per run and row: the share of the children with data, and whether any has data."""
    m = ~np.isnan(X) & P[:, None, :]
    Wp = np.where(P, W, 0.0)
    count = m.sum(axis=2) / np.maximum(P.sum(axis=1), 1)[:, None]
    if not by_weight:
        return count, m.any(axis=2)
    total = Wp.sum(axis=1)
    with np.errstate(all="ignore"):
        share = _wsum(m.astype(float), Wp) / total[:, None]
    return np.where((total > 0)[:, None], share, count), m.any(axis=2)


def aggregate_runs(plan, data, ctx, params: dict, mult: np.ndarray, dropped: np.ndarray):
    """All aggregate nodes for the runs given: ``(runs x rows x aggregate nodes)``, failed runs."""
    from ..engine.aggregate import _plan

    fw = plan.framework
    min_cov = float(params.pop("min_coverage", 0.0))
    by_weight = params.pop("coverage_by", "weight") == "weight"
    specs = _plan(ctx, params)
    R, n = mult.shape[0], len(data)
    by = data.index.get_level_values(1)
    pos = {c: i for i, c in enumerate(plan.nodes)}
    W = np.array([ctx.weight(c) for c in plan.nodes]) * mult
    present = ~dropped
    cols = {c: data[c].to_numpy(dtype=float) for c in data.columns}
    out = np.full((R, n, len(plan.agg_nodes)), np.nan)
    failed = np.zeros(R, dtype=bool)
    for j, code in enumerate(plan.agg_nodes):
        children = [c for c in fw.children(code) if c in cols]
        if not children:
            cols[code] = np.full(n, np.nan)
            continue
        ci = [pos[c] for c in children]
        X = np.empty((R, n, len(children)))
        for k, c in enumerate(children):
            X[:, :, k] = cols[c]
        spec = dict(specs[code])
        y, bad = _node(spec.pop("method"), spec, X, present[:, ci], W[:, ci], by)
        share, anyd = _coverage(X, present[:, ci], W[:, ci], by_weight)
        y = np.where((share + 1e-12 < min_cov) | ~anyd, np.nan, y)
        y[dropped[:, pos[code]]] = np.nan
        cols[code] = out[:, :, j] = y
        failed |= bad
    return out, failed
