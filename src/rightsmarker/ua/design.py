"""Sample designs: uniform numbers in ``[0, 1)``, one row per run, grouped by factor.

``uniform_design`` draws a plain Monte Carlo sample (the uncertainty analysis).
``saltelli_design`` builds the ``N (d + 2)`` rows of the Saltelli design for ``d`` factors
(groups of columns): the base matrices ``A`` and ``B``, then for each factor ``i`` the matrix
``AB_i`` equal to ``A`` except the columns of factor ``i``, taken from ``B``. Rows are ordered
``A, B, AB_1, ..., AB_d`` (as COINr's ``SA_sample``).
"""

from __future__ import annotations

import numpy as np


def column_groups(widths: list[int]) -> list[slice]:
    """The columns of each factor, given the factors' widths."""
    edges = np.concatenate([[0], np.cumsum(widths)]).astype(int)
    return [slice(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def uniform_design(runs: int, widths: list[int], seed: int | np.random.Generator = 0) -> np.ndarray:
    """A ``runs x sum(widths)`` matrix of independent uniform numbers (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    return rng.random((int(runs), int(sum(widths))))


def saltelli_design(n: int, widths: list[int], seed: int | np.random.Generator = 0) -> np.ndarray:
    """The ``n (d + 2) x sum(widths)`` Saltelli design for ``d = len(widths)`` factor groups."""
    rng = np.random.default_rng(seed)
    total = int(sum(widths))
    base = rng.random((int(n), 2 * total))
    A, B = base[:, :total], base[:, total:]
    blocks = [A, B]
    for cols in column_groups(widths):
        AB = A.copy()
        AB[:, cols] = B[:, cols]
        blocks.append(AB)
    return np.vstack(blocks)
