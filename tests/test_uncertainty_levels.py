"""Recognition robustness and multi-period runs, on the bundled framework with demo data."""

from __future__ import annotations

import numpy as np
import pytest

import rightsmarker as rm
from rightsmarker.demo import demo_data
from rightsmarker.ua.robust import levels_per_run

FACTORS = [
    {"name": "weights", "type": "weights", "f": 0.3, "levels": [2, 3]},
    {"name": "aggregation", "type": "aggregation",
     "alternatives": [{"method": "arithmetic"}, {"method": "geometric", "offset": 1},
                      {"method": "copeland"}]},
]


@pytest.fixture(scope="module")
def demo_runs():
    obs = demo_data(n_cities=10).observations
    return rm.uncertainty("social-inclusion-marker", obs, None, FACTORS, runs=30, seed=2)


def test_runs_over_several_periods_equal_replays_including_copeland(demo_runs):
    res = demo_runs
    assert res.plan.index.get_level_values(1).nunique() == 3
    assert "copeland" in set(res.runs["aggregation"])
    for r in range(0, 30, 3):
        ref = res.replay(r)
        final = ref.stages_wide[ref.final_stage].reindex(res.plan.index)
        np.testing.assert_allclose(res.scores_runs[r], final[res.plan.agg_nodes].to_numpy(),
                                   rtol=1e-9, atol=1e-9)


def test_levels_of_every_run_equal_the_levels_of_its_replay(demo_runs):
    per_node = levels_per_run(demo_runs.plan.nominal, demo_runs.scores_runs,
                              demo_runs.plan.agg_nodes)
    assert set(per_node) == {"SPA", "SOC", "CUL", "ECO", "POL", demo_runs.plan.framework.root}
    for r in (0, 4, 11):
        levels = demo_runs.replay(r).levels
        for node, lv in per_node.items():
            expected = (levels[levels["node"] == node].set_index(["unit", "period"])
                        .reindex(demo_runs.plan.index)["level"].to_numpy())
            np.testing.assert_array_equal(lv[r], expected)


def test_robustness_is_the_share_of_runs_reaching_the_nominal_level(demo_runs):
    lv = demo_runs.levels
    assert list(lv.columns) == ["unit", "period", "node", "level", "label", "share", "robust",
                                "robust_level"]
    per_node = levels_per_run(demo_runs.plan.nominal, demo_runs.scores_runs,
                              demo_runs.plan.agg_nodes)
    row = lv[lv["level"] > 0].iloc[0]
    i = demo_runs.plan.index.get_loc((row["unit"], row["period"]))
    share = (per_node[row["node"]][:, i] >= row["level"]).mean()
    assert row["share"] == pytest.approx(share)
    assert row["robust"] == (share >= 0.9)
    assert (lv.loc[lv["robust"], "robust_level"] >= lv.loc[lv["robust"], "level"]).all()


def test_without_noise_every_level_is_robust():
    obs = demo_data(n_cities=6).observations
    res = rm.uncertainty("social-inclusion-marker", obs, None,
                         [{"type": "weights", "f": 0.0, "levels": [2]}], runs=5)
    nominal = res.plan.nominal.levels
    assert res.levels["robust"].all() and (res.levels["share"] == 1).all()
    np.testing.assert_array_equal(res.levels["level"], nominal["level"])
