"""Gap monitoring over disaggregated observations ("who is left behind").

- :func:`gaps`: the gap of every group to the total or to the best-off group, direction-aware,
  with its change since the previous period and a z-test of that change where confidence
  bounds or standard errors are given;
- :func:`disaggregation_coverage` and :func:`coverage_summary`: fully / partly / not
  disaggregated against the grounds the framework expects;
- :func:`gap_alerts`: groups whose value worsens or whose gap widens beyond thresholds;
- :func:`map_group`: a group discovered in microdata (``sex=Female;race=Black``) as a canonical
  group of the framework's vocabulary (``race=black;sex=female``), so its gaps can be followed.

``rightsmarker.gaps`` is both this module and callable as :func:`gaps` (``rm.gaps(obs)``), so
the lazy top-level name keeps working after the module has been imported.
"""

from __future__ import annotations

import sys
import types

from ._input import attach_uncertainty
from .alerts import REASONS, alert_masks, gap_alerts
from .compute import COLUMNS, REFERENCES, gaps
from .coverage import STATUSES, coverage_summary, disaggregation_coverage, expected_grounds
from .mapping import GroupMapping, PairMapping, map_group, mapped_group

__all__ = [
    "COLUMNS", "REASONS", "REFERENCES", "STATUSES", "alert_masks", "attach_uncertainty",
    "GroupMapping", "PairMapping", "coverage_summary", "disaggregation_coverage",
    "expected_grounds", "gap_alerts", "gaps", "map_group", "mapped_group",
]


class _CallableModule(types.ModuleType):
    """Importing ``rightsmarker.gaps`` sets the package attribute ``gaps`` to this module;
    calling it runs :func:`gaps`, so ``rightsmarker.gaps(...)`` always works."""

    def __call__(self, *args, **kwargs):
        return gaps(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
