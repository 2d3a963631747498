"""The scoring engine: one module per build step, each registered in ``registry.steps``.

Importing this package registers the built-in steps and methods.
"""

from . import aggregate, denominate, impute, normalise, treat, weights  # noqa: F401
from .context import BuildContext, StepResult

__all__ = ["BuildContext", "StepResult"]
