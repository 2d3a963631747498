"""The pipeline runner: scores, ranks, stages, log, regenerate, dashboard, trends, levels."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import rightsmarker as rm
from rightsmarker.engine.build import score
from rightsmarker.errors import MethodError
from rightsmarker.framework.model import Framework

STAGES = [{"code": s} for s in ["none", "planned", "adopted", "implemented", "evaluated"]]


@pytest.fixture
def fw() -> Framework:
    return Framework.model_validate(
        {
            "code": "t",
            "version": "1",
            "languages": ["en"],
            "nodes": [
                {"code": "IDX", "labels": {"en": "Index"}},
                {"code": "A", "parent": "IDX", "labels": {"en": "A"}},
                {"code": "B", "parent": "IDX", "labels": {"en": "B"}, "weight": 3},
                {
                    "code": "a1",
                    "parent": "A",
                    "labels": {"en": "a1"},
                    "kind": "structural",
                    "value_type": "yes_no",
                },
                {
                    "code": "a2",
                    "parent": "A",
                    "labels": {"en": "a2"},
                    "kind": "outcome",
                    "value_type": "percent",
                    "direction": -1,
                    "lower": 50,
                    "optimum": 0,
                    "green": 10,
                    "red": 30,
                },
                {
                    "code": "b1",
                    "parent": "B",
                    "labels": {"en": "b1"},
                    "kind": "process",
                    "value_type": "number",
                    "lower": 0,
                    "optimum": 200,
                    "green": 150,
                    "red": 50,
                },
                {
                    "code": "b2",
                    "parent": "B",
                    "labels": {"en": "b2"},
                    "kind": "structural",
                    "value_type": "stage",
                    "stages": STAGES,
                },
            ],
            "recognition": {
                "theme_depth": 1,
                "levels": [
                    {
                        "level": 1,
                        "labels": {"en": "Committed"},
                        "theme": {"structural_met": 1.0},
                        "overall": {"children_min_level": 1, "children_share": 0.5},
                    },
                    {
                        "level": 2,
                        "labels": {"en": "Developing"},
                        "theme": {"min_score": 60},
                        "overall": {"children_min_level": 2},
                    },
                ],
            },
        }
    )


def _obs(rows):
    return pd.DataFrame(rows, columns=["unit", "period", "indicator", "group", "value"])


@pytest.fixture
def obs(fw):
    rows = []
    data = {  # unit: (a1, a2, b1, b2) per period 2023, 2024
        "X": [("yes", 20, 100, "adopted"), ("yes", 5, 160, "evaluated")],
        "Y": [("no", 40, 180, "none"), ("no", 45, 170, "planned")],
        "Z": [("yes", 10, 150, "implemented"), ("yes", 10, 150, "implemented")],
    }
    for unit, periods in data.items():
        for period, vals in zip((2023, 2024), periods, strict=True):
            for code, v in zip(("a1", "a2", "b1", "b2"), vals, strict=True):
                rows.append((unit, period, code, "total", v))
    return rm.read_observations(_obs(rows), fw)


GOALPOSTS = {
    "name": "gp",
    "steps": [
        {"step": "normalise", "params": {"method": "goalposts"}},
        {"step": "aggregate", "params": {"method": "arithmetic"}},
    ],
}


def test_scores_have_the_documented_columns_and_one_row_per_unit_period_node(fw, obs):
    res = score(fw, obs, GOALPOSTS)
    assert list(res.scores.columns) == ["unit", "period", "node", "level", "score", "rank"]
    assert len(res.scores) == 3 * 2 * 7
    assert set(res.scores["level"]) == {0, 1, 2}


def test_goalpost_scores_follow_the_formula_and_weights(fw, obs):
    s = score(fw, obs, GOALPOSTS).scores.set_index(["unit", "period", "node"])["score"]
    # X 2023: a1 yes=100, a2 = (20-50)/(0-50)*100 = 60, b1 = 50, b2 = adopted 2/4 = 50
    assert s[("X", 2023, "a2")] == pytest.approx(60.0)
    assert s[("X", 2023, "A")] == pytest.approx(80.0)
    assert s[("X", 2023, "B")] == pytest.approx(50.0)
    assert s[("X", 2023, "IDX")] == pytest.approx((80 * 1 + 50 * 3) / 4)


def test_ranks_are_one_for_the_best_and_share_the_lowest_rank_on_ties(fw, obs):
    s = score(fw, obs, GOALPOSTS).scores
    a1 = s[(s.node == "a1") & (s.period == 2023)].set_index("unit")["rank"]
    assert a1.to_dict() == {"X": 1, "Y": 3, "Z": 1}


def test_every_stage_is_kept_in_build_order(fw, obs):
    res = score(fw, obs, GOALPOSTS)
    assert list(res.stages) == ["raw", "normalise", "aggregate"]
    raw = res.stages["raw"]
    assert list(raw.columns) == ["unit", "period", "node", "value"]
    assert raw.query("unit == 'Y' and period == 2023 and node == 'b2'")["value"].item() == 0


def test_the_log_records_params_as_given_and_rerunning_it_reproduces_the_scores(fw, obs, tmp_path):
    res = score(fw, obs, GOALPOSTS)
    res.write(tmp_path)
    record = json.loads((tmp_path / "build.json").read_text())
    assert [r["step"] for r in record["steps"]] == ["normalise", "aggregate"]
    assert record["steps"][0]["params"] == {"method": "goalposts"}
    again = score(fw, obs, rm.load_method(tmp_path / "build.json"))
    pd.testing.assert_frame_equal(res.scores, again.scores)


def test_regenerate_changes_one_step_and_keeps_the_rest(fw, obs):
    res = score(fw, obs, GOALPOSTS)
    geo = res.regenerate({"aggregate": {"method": "generalised", "p": 2}})
    assert geo.method.steps[0] == res.method.steps[0]
    a = res.scores.set_index(["unit", "period", "node"])["score"]
    g = geo.scores.set_index(["unit", "period", "node"])["score"]
    assert g[("X", 2023, "a2")] == a[("X", 2023, "a2")]
    assert g[("X", 2023, "A")] == pytest.approx(np.sqrt((100**2 + 60**2) / 2))


def test_a_method_without_aggregate_is_rejected_naming_the_problem():
    with pytest.raises(MethodError, match="exactly one aggregate"):
        rm.load_method({"steps": [{"step": "normalise", "params": {"method": "minmax"}}]})


def test_dashboard_colours_follow_thresholds_and_direction(fw, obs):
    d = score(fw, obs, GOALPOSTS).dashboard.set_index(["unit", "period", "node"])["colour"]
    assert d[("X", 2024, "a2")] == "green"  # 5 <= 10 with direction -1
    assert d[("Y", 2023, "a2")] == "red"  # 40 >= 30
    assert d[("X", 2023, "a2")] == "yellow"  # 20 is the midpoint of 10 and 30
    assert d[("X", 2023, "b1")] == "yellow"  # 100 = midpoint of 50 and 150
    assert d[("Y", 2023, "a1")] == "red"  # no
    # node A for Y 2023: a1 red (0), a2 red (0) -> red; for X 2024: green, green -> green
    assert d[("Y", 2023, "A")] == "red"
    assert d[("X", 2024, "A")] == "green"


def test_trend_arrows_and_improvement_rates_are_direction_aware(fw, obs):
    t = score(fw, obs, GOALPOSTS).trends.set_index(["unit", "indicator"])
    assert t.loc[("X", "a2"), "improvement_rate"] == pytest.approx(75.0)  # 20 -> 5, lower better
    assert t.loc[("X", "a2"), "arrow"] == "on_track"
    assert t.loc[("Y", "a2"), "arrow"] == "decreasing"
    assert t.loc[("Z", "b1"), "arrow"] == "on_track"  # green met, no change
    assert t.loc[("Y", "b1"), "symbol"] == "↓"


def test_recognition_levels_combine_scores_and_structural_commitments(fw, obs):
    res = score(fw, obs, GOALPOSTS)
    lv = res.levels.set_index(["unit", "period", "node"])
    # Z: a1 yes (A structural met); A score = (100 + 80)/2 = 90 -> level 2
    assert lv.loc[("Z", 2024, "A"), "level"] == 2
    # Y: a1 = no, so theme A fails level 1 whatever its score
    assert lv.loc[("Y", 2023, "A"), "level"] == 0
    assert "structural_met" in lv.loc[("Y", 2023, "A"), "reasons"]
    # B's structural indicator is the stage b2: met only at the top stage (evaluated)
    assert lv.loc[("X", 2024, "B"), "level"] >= 1
    assert lv.loc[("X", 2023, "B"), "level"] == 0


def test_explain_shows_children_and_weights(fw, obs):
    ex = score(fw, obs, GOALPOSTS).explain("X", 2023, "IDX")
    assert list(ex["node"]) == ["IDX", "A", "B"]
    assert ex.set_index("node").loc["B", "weight"] == 3


def test_a_node_without_a_score_is_grey_whatever_its_indicators_colours(fw, obs):
    # Theme A has two indicators; with one missing and min_coverage 0.9 it gets no score, so
    # its dashboard cell is grey even though the indicator it has is coloured.
    data = obs.data
    data = data[~((data["unit"] == "Y") & (data["period"] == 2023) & (data["indicator"] == "a2"))]
    strict = {"name": "strict", "steps": [
        {"step": "normalise", "params": {"method": "goalposts"}},
        {"step": "aggregate", "params": {"method": "arithmetic", "min_coverage": 0.9}}]}
    res = score(fw, rm.read_observations(data, fw), strict)
    s = res.scores.set_index(["unit", "period", "node"])["score"]
    d = res.dashboard.set_index(["unit", "period", "node"])["colour"]
    assert np.isnan(s[("Y", 2023, "A")]) and d[("Y", 2023, "a1")] == "red"
    assert d[("Y", 2023, "A")] == "grey"
    assert d[("Y", 2024, "A")] == "red"  # scored: coloured from its indicators as before
