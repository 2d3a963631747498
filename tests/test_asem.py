"""COINr's ASEM example reproduced exactly, stage by stage (the engine's oracle).

The example files in ``examples/asem/`` are the inputs; COINr's own output of every stage
(``../shared/data/composite/coinr_asem/Data_*.csv``) is the expected result. Each stage is
computed from the previous stage computed here, so errors would accumulate and show.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from rightsmarker.engine import aggregate, denominate, impute, normalise, treat, weights
from rightsmarker.engine.context import BuildContext
from rightsmarker.framework.model import Framework

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "asem"
ORACLE = ROOT.parent / "shared" / "data" / "composite" / "coinr_asem"
TOL = 1e-9

pytestmark = pytest.mark.skipif(not ORACLE.is_dir(), reason="COINr ASEM stage files not available")

STEPS = {
    "denominate": denominate.denominate,
    "impute": impute.impute,
    "treat": treat.treat,
    "normalise": normalise.normalise,
    "weight": weights.weight,
    "aggregate": aggregate.aggregate,
}
ORACLE_FILE = {
    "denominate": "Data_Denominated",
    "impute": "Data_Imputed",
    "treat": "Data_Treated",
    "normalise": "Data_Normalised",
    "aggregate": "Data_Aggregated",
}


def _framework() -> Framework:
    return Framework.model_validate(yaml.safe_load((EXAMPLE / "framework.yaml").read_text()))


@pytest.fixture(scope="module")
def built():
    """Every stage of the ASEM build, computed by running the step functions in order."""
    fw = _framework()
    units = pd.read_csv(EXAMPLE / "units.csv").set_index("unit")
    obs = pd.read_csv(EXAMPLE / "observations.csv")
    raw = obs.pivot_table(index=["unit", "period"], columns="indicator", values="value")
    index = pd.MultiIndex.from_product([units.index, [2018]], names=["unit", "period"])
    data = raw.reindex(index=index, columns=fw.indicator_codes).astype(float)
    ctx = BuildContext(fw, units, {n.code: n.weight for n in fw.nodes})
    method = yaml.safe_load((EXAMPLE / "method.yaml").read_text())
    stages, results = {"raw": data}, {}
    for record in method["steps"]:
        result = STEPS[record["step"]](data, ctx, **record.get("params", {}))
        stages[record["step"]], results[record["step"]] = result.data, result
        data = result.data
    return stages, results


def _oracle(name: str, columns) -> pd.DataFrame:
    table = pd.read_csv(ORACLE / f"{name}.csv").set_index("UnitCode")
    table.index = pd.MultiIndex.from_product([table.index, [2018]], names=["unit", "period"])
    return table[list(columns)]


def _max_diff(ours: pd.DataFrame, theirs: pd.DataFrame) -> float:
    ours = ours.reindex(index=theirs.index, columns=theirs.columns)
    assert (ours.isna().to_numpy() == theirs.isna().to_numpy()).all(), "missing values differ"
    diff = np.abs(ours.to_numpy(dtype=float) - theirs.to_numpy(dtype=float))
    return float(np.nanmax(diff)) if np.isfinite(diff).any() else 0.0


def test_the_raw_example_data_equal_coinr_raw_data(built):
    stages, _ = built
    fw = _framework()
    assert _max_diff(stages["raw"], _oracle("Data_Raw", fw.indicator_codes)) == 0.0


@pytest.mark.parametrize("step", ["denominate", "impute", "treat", "normalise"])
def test_each_indicator_stage_equals_coinr_within_1e_9(built, step):
    stages, _ = built
    expected = _oracle(ORACLE_FILE[step], _framework().indicator_codes)
    assert _max_diff(stages[step], expected) <= TOL


def test_every_aggregate_equals_coinr_within_1e_9(built):
    stages, _ = built
    fw = _framework()
    codes = [n.code for n in fw.aggregates]
    expected = _oracle("Data_Aggregated", fw.indicator_codes + codes)
    for code in expected.columns:
        assert _max_diff(stages["aggregate"][[code]], expected[[code]]) <= TOL, code


def test_the_treatment_log_matches_coinr_treat_summary(built):
    _, results = built
    log = results["treat"].notes.set_index("indicator")
    summary = pd.read_csv(ORACLE / "TreatSummary.csv", keep_default_na=False).set_index("IndCode")
    for ours, theirs in (("n_winsorised_low", "Low"), ("n_winsorised_high", "High")):
        assert log.loc[summary.index, ours].tolist() == summary[theirs].astype(int).tolist()
    assert not log["log_transformed"].any()
    treated = summary[summary["Treatment"] != "None"].index
    assert sorted(results["treat"].learned["winsorised_"]) == sorted(treated)


def test_the_learned_weights_are_the_framework_weights(built):
    _, results = built
    learned = results["weight"].learned["weights_"]
    expected = pd.read_csv(ORACLE / "Weights_Original.csv").set_index("Code")["Weight"]
    assert {k: learned[k] for k in expected.index} == expected.to_dict()


def test_the_denominated_stage_records_which_column_divided_each_indicator(built):
    _, results = built
    meta = pd.read_csv(ORACLE / "Input_IndMeta.csv").dropna(subset=["Denominator"])
    assert results["denominate"].learned["denominated_"] == dict(
        zip(meta["IndCode"], meta["Denominator"], strict=True)
    )


def test_everything_learned_is_json_serialisable(built):
    _, results = built
    for step, result in results.items():
        assert json.loads(json.dumps(result.learned)) == result.learned, step
        assert all(key.endswith("_") for key in result.learned), step
