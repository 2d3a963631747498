"""Discovery of worse-off groups in microdata (see docs/guide/discovery.md).

``discover`` enumerates every conjunction of attribute values up to a depth and reports, per
group, its size, estimate with interval, gap to everyone else, p- and q-values, whether it is
significantly worse off and whether it is redundant given a parent group. ``discover_waves``
reports groups whose gap grew between two waves. Both run one aggregation (``sums.py``) in an
engine (DuckDB by default, or Spark) and compute the statistics in numpy.
"""

from __future__ import annotations

from .core import COLUMNS, DiscoveryResult, discover
from .engines import engines
from .sources import DiscoveryError
from .waves import WavesResult, discover_waves

__all__ = [
    "COLUMNS",
    "DiscoveryError",
    "DiscoveryResult",
    "WavesResult",
    "discover",
    "discover_waves",
    "engines",
]
