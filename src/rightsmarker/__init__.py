"""rightsmarker: a Social Inclusion / Human Rights Marker System for cities.

The public Python API (names fixed; outside scripts rely on them)::

    import rightsmarker as rm
    fw = rm.load_framework("social-inclusion-marker")      # or a path to a YAML file
    obs = rm.read_observations("observations.csv", fw)     # CSV, XLSX or Parquet
    method = rm.load_method("method.yaml")
    result = rm.score(fw, obs, method)
    result.scores      # unit, period, node, level, score, rank
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_LAZY = {
    "load_framework": "rightsmarker.framework.io",
    "save_framework": "rightsmarker.framework.io",
    "bundled_frameworks": "rightsmarker.framework.io",
    "Framework": "rightsmarker.framework.model",
    "read_observations": "rightsmarker.observations",
    "Observations": "rightsmarker.observations",
    "read_units": "rightsmarker.units",
    "write_template": "rightsmarker.template",
    "load_method": "rightsmarker.engine.method",
    "Method": "rightsmarker.engine.method",
    "score": "rightsmarker.engine.build",
    "Result": "rightsmarker.engine.build",
    "synthesize": "rightsmarker.synth",
    "uncertainty": "rightsmarker.uncertainty",
    "sensitivity": "rightsmarker.sensitivity",
    "discover": "rightsmarker.discovery",
    "discover_waves": "rightsmarker.discovery",
    "gaps": "rightsmarker.gaps",
    "suggest_tags": "rightsmarker.practices.tagging",
    "PracticeIndex": "rightsmarker.practices.search",
    "RightsMarkerError": "rightsmarker.errors",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rightsmarker' has no attribute {name!r}")
