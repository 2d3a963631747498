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
    """``sum_k V[r, n, k] W[r, k]`` -> ``runs x rows``; ``V`` may have one run for all."""
    if V.shape[0] == 1:
        return (V[0] @ W.T).T
    return np.einsum("rnk,rk->rn", V, W, optimize=False)


def _runs(bad: np.ndarray, R: int) -> np.ndarray:
    return np.broadcast_to(bad, (R,)).copy()


def _nonpositive(Z: np.ndarray, m, strict: bool = True) -> np.ndarray:
    bad = (Z <= 0) if strict else (Z < 0)
    return (bad if m is None else bad & m).any(axis=(1, 2))


def _masked(V, m, fill):
    return V if m is None else np.where(m, V, fill)


def _arithmetic(X, m, W, sw):
    return _wsum(_masked(X, m, 0.0), W) / sw, np.zeros(W.shape[0], dtype=bool)


def _geometric(X, m, W, sw, offset: float = 0.0):
    Z = X + offset if offset else X
    bad = _nonpositive(Z, m)
    logs = np.log(np.where(Z > 0, Z, 1.0) if bad.any() or m is not None else Z)
    return np.exp(_wsum(_masked(logs, m, 0.0), W) / sw) - offset, _runs(bad, W.shape[0])


def _harmonic(X, m, W, sw, offset: float = 0.0):
    Z = X + offset if offset else X
    bad = _nonpositive(Z, m)
    inv = 1.0 / np.where(Z > 0, Z, 1.0)
    return sw / _wsum(_masked(inv, m, 0.0), W) - offset, _runs(bad, W.shape[0])


def _generalised(X, m, W, sw, p: float = 1.0):
    bad = _nonpositive(X, m, strict=p < 0)
    powers = np.where(X >= 0, X, 1.0) ** p
    return (_wsum(_masked(powers, m, 0.0), W) / sw) ** (1.0 / p), _runs(bad, W.shape[0])


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
    R, n = W.shape[0], X.shape[1]
    y, bad = np.full((R, n), np.nan), np.zeros(R, dtype=bool)
    for r in range(R) if runs is None else runs:
        keep = P[r]
        if not keep.any():
            continue
        Xr = X[r] if X.shape[0] > 1 else X[0]
        try:
            with np.errstate(all="ignore"):
                y[r] = fn(Xr[:, keep], W[r, keep], by, **spec)
        except DataError:
            bad[r] = True
    return y, bad


def _node(name, spec, X, P, W, by):
    """One node's values for every run, and the runs that failed.

    ``X`` is ``runs x rows x children``, or ``1 x rows x children`` when every child is an
    indicator (the same values in every run); ``P`` marks the children present in each run.
    """
    from ..registry import aggregators

    fn = aggregators.get(name)
    kernel = _vectorised(name)
    if kernel is None:
        return _loop(fn, spec, X, P, W, by)
    missing = np.isnan(X)
    full = P.all() and not missing.any()
    m = None if full else ~missing & P[:, None, :]
    Wp = W if P.all() else np.where(P, W, 0.0)
    sw = Wp.sum(axis=1)[:, None] if full else _wsum(m.astype(float), Wp)
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


def _short(X, P, W, by_weight: bool, min_cov: float) -> np.ndarray:
    """Per run and row: too few children with data (below ``min_cov``, or none)."""
    R = W.shape[0]
    m = ~np.isnan(X) if P.all() else ~np.isnan(X) & P[:, None, :]
    anyd = np.broadcast_to(m.any(axis=2), (R, X.shape[1]))
    if min_cov <= 0:
        return ~anyd
    Wp = np.where(P, W, 0.0)
    count = m.sum(axis=2) / np.maximum(P.sum(axis=1), 1)[:, None]
    if by_weight:
        total = Wp.sum(axis=1)
        with np.errstate(all="ignore"):
            share = _wsum(m.astype(float), Wp) / total[:, None]
        count = np.where((total > 0)[:, None], share, count)
    return (count + 1e-12 < min_cov) | ~anyd


def _values(cols: dict, children: list[str], R: int, n: int) -> np.ndarray:
    """``runs x rows x children`` (``1 x ...`` when no child varies between runs)."""
    if all(cols[c].ndim == 1 for c in children):
        return np.column_stack([cols[c] for c in children])[None]
    X = np.empty((R, n, len(children)))
    for k, c in enumerate(children):
        X[:, :, k] = cols[c]
    return X


def aggregate_runs(plan, data, ctx, params: dict, mult: np.ndarray, dropped: np.ndarray):
    """All aggregate nodes for the runs given: ``(runs x rows x aggregate nodes)``, failed runs."""
    from ..engine.aggregate import aggregation_plan

    fw = plan.framework
    min_cov = float(params.pop("min_coverage", 0.0))
    by_weight = params.pop("coverage_by", "weight") == "weight"
    specs = aggregation_plan(ctx, params)
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
        X = _values(cols, children, R, n)
        spec = dict(specs[code])
        y, bad = _node(spec.pop("method"), spec, X, present[:, ci], W[:, ci], by)
        y = np.where(_short(X, present[:, ci], W[:, ci], by_weight, min_cov), np.nan, y)
        y[dropped[:, pos[code]]] = np.nan
        cols[code] = out[:, :, j] = y
        failed |= bad
    return out, failed
