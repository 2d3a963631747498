"""Uncertainty analysis: the vectorised runs equal a plain loop of ``rightsmarker.score``.

The ASEM example (COINr's) is the main case: its factors file varies the normalisation,
the weights at two levels and the aggregation, as COINr's sensitivity vignette does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import rightsmarker as rm
from rightsmarker.errors import MethodError
from rightsmarker.ua.factors import load_factors
from rightsmarker.ua.stats import rank_last

ROOT = Path(__file__).resolve().parent.parent
ASEM = ROOT / "examples" / "asem"
COINR = ROOT.parent / "shared" / "data" / "composite" / "coinr_asem"
TOL = 1e-9


@pytest.fixture(scope="module")
def asem():
    """Framework, observations, method and units of the ASEM example, loaded once."""
    fw = rm.load_framework(ASEM / "framework.yaml")
    obs = rm.read_observations(ASEM / "observations.csv", fw)
    units = pd.read_csv(ASEM / "units.csv").set_index("unit")
    return fw, obs, rm.load_method(ASEM / "method.yaml"), units


@pytest.fixture(scope="module")
def asem_runs(asem):
    fw, obs, method, units = asem
    return rm.uncertainty(fw, obs, method, ASEM / "uncertainty.yaml", runs=20, seed=7,
                          units=units)


def _plain_loop_run(asem, res, r):
    """Run ``r`` as a plain re-run of the whole pipeline with the run's changed method."""
    fw, obs, method, units = asem
    norm, _, agg = res.plan.factors
    mult = dict(zip(res.plan.nodes, res.choices.mult[r], strict=True))
    weights = {n.code: n.weight * mult[n.code] for n in fw.nodes}
    changed = method.with_changes({
        "normalise": {"replace": norm.alternatives[res.choices.idx["normalisation"][r]]},
        "aggregate": {"replace": agg.alternatives[res.choices.idx["aggregation"][r]]},
        "weight": {"replace": {"method": "user", "weights": weights}},
    })
    return rm.score(fw, obs, changed, units=units)


def test_vectorised_runs_equal_a_plain_loop_of_score_on_asem(asem, asem_runs):
    res = asem_runs
    assert set(res.runs["aggregation"]) == {"arithmetic", "geometric"}
    assert res.runs["normalisation"].nunique() == 2
    for r in range(20):
        ref = _plain_loop_run(asem, res, r)
        final = ref.stages_wide[ref.final_stage].reindex(res.plan.index)
        expected = final[res.plan.agg_nodes].to_numpy()
        np.testing.assert_allclose(res.scores_runs[r], expected, rtol=TOL, atol=TOL)
        ranks = ref.scores.pivot_table(index=["unit", "period"], columns="node", values="rank",
                                     observed=True)
        ranks = ranks.reindex(index=res.plan.index, columns=res.plan.agg_nodes).to_numpy()
        np.testing.assert_array_equal(res.ranks_runs[r], ranks)


def test_replay_gives_the_same_result_as_the_vectorised_run(asem_runs):
    for r in (0, 5):
        ref = asem_runs.replay(r)
        final = ref.stages_wide[ref.final_stage].reindex(asem_runs.plan.index)
        np.testing.assert_allclose(asem_runs.scores_runs[r],
                                   final[asem_runs.plan.agg_nodes].to_numpy(), rtol=TOL, atol=TOL)


def test_nominal_ranks_equal_coinr_stored_ranks(asem_runs):
    if not COINR.is_dir():
        pytest.skip("COINr ASEM files not available")
    stored = pd.read_csv(COINR / "Results_AggregatesRank.csv").set_index("UnitCode")
    rs = asem_runs.rank_stats
    for node in ("Index", "Conn", "Sust", "Physical", "Environ"):
        ours = rs[rs["node"] == node].set_index("unit")["nominal"]
        assert (ours.reindex(stored.index).astype(int) == stored[node]).all()


def test_winsorisation_imputation_and_drop_runs_equal_replays(asem):
    fw, obs, method, units = asem
    factors = [
        {"name": "winmax", "type": "winsorisation", "alternatives": [2, 6]},
        {"name": "imputation", "type": "imputation",
         "alternatives": [{"method": "group_mean", "group": "Group_EurAsia"},
                          {"method": "mean"}]},
        {"name": "drop", "type": "drop", "elements": ["Goods", "P2P", "Forest"]},
        {"name": "noise", "type": "weights", "f": 0.4, "depths": [3]},
    ]
    res = rm.uncertainty(fw, obs, method, factors, runs=12, seed=1, units=units)
    assert res.runs["drop"].nunique() > 1
    for r in range(12):
        ref = res.replay(r)
        final = ref.stages_wide[ref.final_stage].reindex(res.plan.index)
        expected = final.reindex(columns=res.plan.agg_nodes).to_numpy()
        np.testing.assert_allclose(res.scores_runs[r], expected, rtol=TOL, atol=TOL)


def test_a_dropped_node_and_its_descendants_have_no_score(asem):
    fw, obs, method, units = asem
    res = rm.uncertainty(fw, obs, method, [{"type": "drop", "elements": ["Conn"], "none": False}],
                         runs=2, units=units)
    j = res.plan.agg_nodes.index("Conn"), res.plan.agg_nodes.index("Physical")
    assert np.isnan(res.scores_runs[:, :, list(j)]).all()
    assert not np.isnan(res.scores_runs[:, :, res.plan.agg_nodes.index("Index")]).any()


def test_a_seed_gives_the_same_runs_and_another_seed_other_runs(asem):
    fw, obs, method, units = asem
    a = rm.uncertainty(fw, obs, method, ASEM / "uncertainty.yaml", runs=30, seed=3, units=units)
    b = rm.uncertainty(fw, obs, method, ASEM / "uncertainty.yaml", runs=30, seed=3, units=units)
    c = rm.uncertainty(fw, obs, method, ASEM / "uncertainty.yaml", runs=30, seed=4, units=units)
    np.testing.assert_array_equal(a.scores_runs, b.scores_runs)
    pd.testing.assert_frame_equal(a.rank_stats, b.rank_stats)
    assert not np.allclose(a.scores_runs, c.scores_runs)


def test_rank_stats_summarise_the_runs(asem_runs):
    rs = asem_runs.rank_stats
    assert list(rs.columns) == ["unit", "node", "period", "nominal", "mean", "median", "q05", "q95"]
    idx = asem_runs.plan.agg_nodes.index("Index")
    ranks = asem_runs.ranks_runs[:, :, idx]
    top = rs[rs["node"] == "Index"]
    np.testing.assert_allclose(top["mean"], ranks.mean(axis=0))
    np.testing.assert_allclose(top["median"], np.median(ranks, axis=0))
    np.testing.assert_allclose(top["q05"], np.quantile(ranks, 0.05, axis=0))
    assert (top["q05"] <= top["median"]).all() and (top["median"] <= top["q95"]).all()
    assert asem_runs.score_stats.shape == rs.shape


def test_write_gives_the_documented_columns(asem_runs, tmp_path):
    asem_runs.write(tmp_path)
    rs = pd.read_csv(tmp_path / "rank_stats.csv")
    assert list(rs.columns) == ["unit", "node", "nominal", "mean", "median", "q05", "q95"]
    assert rs["nominal"].dtype.kind == "i"
    for name in ("score_stats.csv", "levels.csv", "runs.csv", "uncertainty.json"):
        assert (tmp_path / name).exists()


@pytest.mark.parametrize("ties", ["min", "max", "average", "dense", "first"])
def test_ranks_follow_pandas_rank_with_ties_and_missing_values(ties):
    rng = np.random.default_rng(0)
    S = rng.integers(0, 6, size=(7, 4, 15)).astype(float)
    S[rng.random(S.shape) < 0.1] = np.nan
    ours = rank_last(S, ties)
    for r in range(7):
        for n in range(4):
            ref = pd.Series(S[r, n]).rank(ascending=False, method=ties).round().to_numpy()
            np.testing.assert_array_equal(ours[r, n], ref)


@pytest.mark.parametrize("spec, column", [
    ({"type": "colour"}, "factors[0].type"),
    ({"type": "aggregation", "alternatives": [{"method": "arithmetic"}]},
     "factors[0].alternatives"),
    ({"type": "aggregation", "alternatives": [{"method": "arithmetic"}, {"method": "mode"}]},
     "factors[0].alternatives"),
    ({"type": "weights", "f": 1.5, "levels": [2]}, "factors[0].f"),
    ({"type": "drop", "elements": ["nowhere"]}, "factors[0].elements"),
    ({"type": "winsorisation", "alternatives": [1, -2]}, "factors[0].alternatives"),
])
def test_it_rejects_a_bad_factor_naming_the_field(asem, spec, column):
    with pytest.raises(MethodError) as err:
        load_factors([spec], asem[0])
    assert err.value.problems[0].column == column


def test_it_rejects_a_factor_for_a_step_the_method_lacks(tiny_framework):
    data = pd.DataFrame({"unit": ["a", "b", "c"], "period": 2024, "indicator": "poverty-rate",
                         "group": "total", "value": [10.0, 20.0, 30.0]})
    with pytest.raises(MethodError, match="does not have"):
        rm.uncertainty(tiny_framework, data, None,
                       [{"type": "winsorisation", "alternatives": [1, 2]}], runs=3)


def test_weight_levels_count_from_the_indicators_as_coinr_does(asem):
    (f,) = load_factors([{"type": "weights", "f": 0.25, "levels": [2, 3]}], asem[0])
    depths = {asem[0].depths[c] for c in f.codes}
    assert depths == {1, 2} and len(f.codes) == 10


def test_the_rank_interval_chart_has_one_bar_per_unit(asem_runs):
    pytest.importorskip("plotly")
    fig = rm.uncertainty.plot_rank_intervals(asem_runs.rank_stats, "Index")
    bars = fig.data[0]
    assert len(bars.y) == 51 and list(bars.y)[-1] == "CHE"   # best unit on top
    with pytest.raises(ValueError):
        rm.uncertainty.plot_rank_intervals(asem_runs.rank_stats, "nowhere")


def test_runs_aggregated_in_chunks_give_the_same_scores(asem, asem_runs, monkeypatch):
    from rightsmarker.ua import runner

    fw, obs, method, units = asem
    monkeypatch.setattr(runner, "_chunk", lambda plan: 3)
    chunked = rm.uncertainty(fw, obs, method, ASEM / "uncertainty.yaml", runs=20, seed=7,
                             units=units)
    np.testing.assert_allclose(chunked.scores_runs, asem_runs.scores_runs, rtol=TOL, atol=TOL)


def test_it_rejects_an_indicator_as_the_reported_node(asem):
    fw, obs, method, units = asem
    with pytest.raises(rm.RightsMarkerError, match="aggregate node"):
        rm.uncertainty(fw, obs, method, ASEM / "uncertainty.yaml", runs=2, units=units,
                       node="Goods")


def test_a_fixed_set_of_noisy_weights_is_sampled_as_coinr_does(asem):
    fw, obs, method, units = asem
    factors = [{"name": "weights", "type": "weights", "f": 0.25, "levels": [2, 3], "sets": 4,
                "seed": 9},
               {"name": "aggregation", "type": "aggregation",
                "alternatives": [{"method": "arithmetic"}, {"method": "geometric"}]}]
    res = rm.uncertainty(fw, obs, method, factors, runs=40, units=units)
    weights = res.runs.filter(like="weights:").drop_duplicates()
    assert len(weights) == 4 and weights.to_numpy().min() >= 0.75
    # min-max 0-100 gives zeros: the engine refuses a geometric mean, so those runs fail
    geometric = (res.runs["aggregation"] == "geometric").to_numpy()
    assert (res.failed == geometric).all() and np.isnan(res.scores_runs[geometric]).all()
    with pytest.raises(rm.RightsMarkerError, match="geometric"):
        res.replay(int(np.flatnonzero(geometric)[0]))
    r = int(np.flatnonzero(~geometric)[0])
    final = res.replay(r).stages_wide["aggregate"].reindex(res.plan.index)
    np.testing.assert_allclose(res.scores_runs[r], final[res.plan.agg_nodes].to_numpy(),
                               rtol=TOL, atol=TOL)
    assert res.rank_stats["mean"].notna().all()
