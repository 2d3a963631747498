"""Registries of method families keyed by short names.

Built-in methods register exactly as an extension would::

    from rightsmarker.registry import normalisers

    @normalisers.register("my-method")
    def my_method(x, direction, by, nodes, **params):
        # x: values (rows = unit-periods, columns = indicators); returns (scores, learned)
        ...

Family signatures: normalisers ``fn(x, direction, by, nodes, **kw) -> (scores, learned)``;
imputers ``fn(x, ctx, **kw)``; treaters ``fn(X, **kw) -> (X, info)``; weighters
``fn(data, ctx, **kw) -> (weights, notes)``; aggregators ``fn(X, w, by, **kw) -> y``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import UnknownNameError


class Registry:
    """A mapping of short names to callables for one family of methods."""

    def __init__(self, kind: str):
        self.kind = kind
        self._items: dict[str, Callable[..., Any]] = {}

    def register(self, name: str, fn: Callable[..., Any] | None = None):
        """Register ``fn`` under ``name``; usable as a decorator."""

        def deco(f: Callable[..., Any]) -> Callable[..., Any]:
            self._items[name] = f
            return f

        return deco(fn) if fn is not None else deco

    def get(self, name: str) -> Callable[..., Any]:
        try:
            return self._items[name]
        except KeyError:
            raise UnknownNameError(self.kind, name, list(self._items)) from None

    def __contains__(self, name: str) -> bool:
        return name in self._items

    def names(self) -> list[str]:
        return sorted(self._items)


imputers = Registry("imputation method")
treaters = Registry("outlier treatment")
normalisers = Registry("normalisation method")
weighters = Registry("weighting method")
aggregators = Registry("aggregation method")
steps = Registry("build step")
