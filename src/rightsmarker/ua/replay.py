"""One run of an analysis re-run through :func:`rightsmarker.score`: the slow reference.

The run's discrete choices become changed step records (``Method.with_changes``); a dropped
element is removed from the framework with its descendants; noisy weights become a ``user``
weight step, inserted just before ``aggregate``, that sets every node's weight to the weight
in force there times the run's multiplier.
"""

from __future__ import annotations

import numpy as np

from .factors import method_params


def run_inputs(plan, choices, r: int):
    """``(framework, method)`` of run ``r`` without its weight noise."""
    from ..framework.model import Framework

    fw, method = plan.framework, plan.method
    changes, drop = {}, None
    for f in plan.factors:
        if f.type == "weights":
            continue
        alt = f.alternatives[int(choices.idx[f.name][r])]
        if f.type == "drop":
            drop = alt
            continue
        pos = method.step_names().index(f.step)
        changes[pos] = {"replace": method_params(f.step, method.steps[pos].params, alt)}
    if drop is not None:
        gone = {drop, *fw.descendants(drop)}
        data = fw.model_dump()
        data["nodes"] = [n for n in data["nodes"] if n["code"] not in gone]
        fw = Framework.model_validate(data)
    return fw, method.with_changes(changes) if changes else method


def replay(plan, choices, r: int):
    """The Result of run ``r`` computed by :func:`rightsmarker.score`."""
    from ..engine.build import score

    fw, method = run_inputs(plan, choices, r)
    obs, units = plan.nominal.observations, plan.units
    result = score(fw, obs, method, units=units)
    mult = choices.mult[r]
    if np.all(mult == 1.0):
        return result
    weights = result.meta["weights"]
    pos = {c: i for i, c in enumerate(plan.nodes)}
    noisy = {c: float(weights.get(c, fw.node(c).weight)) * float(mult[pos[c]])
             for c in (n.code for n in fw.nodes)}
    records = [s.model_dump() for s in method.steps]
    at = len(records) - 1
    records.insert(at, {"step": "weight", "params": {"method": "user", "weights": noisy}})
    return score(fw, obs, method.with_changes(records), units=units)
