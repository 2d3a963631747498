"""What ``Result.write`` and ``rightsmarker score`` put in the results folder."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from rightsmarker.engine.build import score
from rightsmarker.engine.output import ResultWriter, same_values
from rightsmarker.synth import synthesize

KEYS = ["unit", "period", "node"]


@pytest.fixture(scope="module")
def syn():
    return synthesize(cities=8, indicators=25, periods=3, seed=1)


@pytest.fixture(scope="module")
def result(syn):
    return score(syn.framework, syn.observations, syn.method)


def read(path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, na_values=[""], float_precision="round_trip")


def test_scores_csv_has_the_documented_columns_and_every_float_reads_back_exactly(result, tmp_path):
    result.write(tmp_path)
    csv = read(tmp_path / "scores.csv")
    assert list(csv.columns) == ["unit", "period", "node", "level", "score", "rank"]
    expected = result.scores
    assert len(csv) == len(expected)
    assert np.array_equal(csv["score"].to_numpy(), expected["score"].to_numpy(), equal_nan=True)
    assert csv["rank"].isna().sum() == expected["rank"].isna().sum() > 0


def test_dashboard_csv_keeps_the_colours_and_leaves_the_scores_to_scores_csv(result, tmp_path):
    result.write(tmp_path)
    dash = read(tmp_path / "dashboard.csv")
    assert list(dash.columns) == ["unit", "period", "node", "colour", "basis"]
    full = result.dashboard
    assert (dash["colour"].to_numpy() == full["colour"].astype(str).to_numpy()).all()
    joined = dash.merge(read(tmp_path / "scores.csv"), on=KEYS, how="left", validate="1:1")
    again = full.astype({"unit": str, "node": str}).merge(joined, on=KEYS)
    assert len(again) == len(full)
    assert np.array_equal(again["score_x"], again["score_y"], equal_nan=True)


def test_trends_csv_leaves_out_the_columns_its_formulas_give_back_exactly(result, tmp_path):
    result.write(tmp_path)
    tr = read(tmp_path / "trends.csv")
    assert list(tr.columns) == ["unit", "period", "indicator", "value", "previous_period",
                                "previous_value", "change", "needed_annual", "arrow"]
    full = result.trends
    assert len(tr) == len(full) > 0
    prev = tr["previous_value"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(prev != 0, tr["change"] / np.abs(prev) * 100.0, np.nan)
    annual = tr["change"] / (tr["period"] - tr["previous_period"])
    assert np.array_equal(rate, full["improvement_rate"].to_numpy(), equal_nan=True)
    assert np.array_equal(annual, full["annual_change"].to_numpy(), equal_nan=True)
    assert (tr["arrow"].to_numpy() == full["arrow"].astype(str).to_numpy()).all()


def test_parquet_output_keeps_every_column_of_the_python_tables(result, tmp_path):
    result.write(tmp_path, format="parquet")
    for name in ("dashboard", "trends", "scores"):
        back = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert list(back.columns) == list(getattr(result, name).columns)


def test_a_stage_that_changed_no_value_writes_no_file(result, tmp_path):
    # the synthetic method denominates without denominators and weights without changing values
    assert list(result.stages_wide) == ["raw", "denominate", "normalise", "weight", "aggregate"]
    assert same_values(result.stages_wide["raw"], result.stages_wide["denominate"])
    result.write(tmp_path, stages_format="csv")
    names = sorted(p.name for p in (tmp_path / "stages").iterdir())
    assert names == ["0_raw.csv", "2_normalise.csv", "4_aggregate.csv", "aggregate_notes.csv"]
    wide = read(tmp_path / "stages" / "2_normalise.csv").set_index(["unit", "period"])
    expected = result.stages_wide["normalise"]
    assert np.array_equal(wide.to_numpy(), expected.to_numpy(), equal_nan=True)


def test_stages_are_parquet_by_default_and_hold_every_value(result, tmp_path):
    result.write(tmp_path)
    names = sorted(p.name for p in (tmp_path / "stages").iterdir())
    assert names == ["0_raw.parquet", "2_normalise.parquet", "4_aggregate.parquet",
                     "aggregate_notes.parquet"]
    back = pd.read_parquet(tmp_path / "stages" / "4_aggregate.parquet")
    assert list(back.columns) == ["unit", "period", *result.stages_wide["aggregate"].columns]
    expected = result.stages_wide["aggregate"].reset_index()
    pd.testing.assert_frame_equal(back, expected, check_names=False)


def test_same_values_tells_a_changed_value_or_label_apart():
    a = pd.DataFrame({"x": [1.0, np.nan], "y": [2.0, 3.0]})
    assert same_values(a, a.copy())
    changed = a.copy()
    changed.iloc[1, 1] = 3.5
    assert not same_values(a, changed)
    assert not same_values(a, a.rename(columns={"y": "z"}))


def test_writing_stages_during_the_build_gives_the_same_files_as_writing_after(syn, tmp_path):
    after = score(syn.framework, syn.observations, syn.method)
    after.write(tmp_path / "after")
    with ResultWriter(tmp_path / "during", framework=syn.framework, method=syn.method) as w:
        during = score(syn.framework, syn.observations, syn.method, on_stage=w.stage)
        w.finish(during)
    files = sorted(p.relative_to(tmp_path / "after") for p in (tmp_path / "after").rglob("*.*"))
    assert files == sorted(p.relative_to(tmp_path / "during")
                           for p in (tmp_path / "during").rglob("*.*"))
    for f in files:
        if f.name != "build.json":  # holds the engine's time
            assert (tmp_path / "after" / f).read_bytes() == (tmp_path / "during" / f).read_bytes()
    pd.testing.assert_frame_equal(during.trends, after.trends)


def test_the_score_command_writes_every_table_and_stage(syn, tmp_path):
    paths = syn.write(tmp_path / "syn")
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "rightsmarker", "score", "--framework", paths[0], "--data",
         paths[1], "--method", paths[2], "--out", out], capture_output=True, text=True,
        timeout=300)
    assert proc.returncode == 0, proc.stderr
    names = {p.name for p in out.iterdir()}
    assert {"scores.csv", "dashboard.csv", "trends.csv", "levels.csv", "level_checks.csv",
            "build.json", "stages"} <= names
    assert (out / "stages" / "0_raw.parquet").exists()
    assert "engine" in proc.stderr


def test_the_score_command_names_a_wrong_stage_format(syn, tmp_path):
    paths = syn.write(tmp_path / "syn")
    proc = subprocess.run(
        [sys.executable, "-m", "rightsmarker", "score", "--framework", paths[0], "--data",
         paths[1], "--out", tmp_path / "out", "--stages-format", "xlsx"],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert "--stages-format" in proc.stderr and "csv or parquet" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_csv_files_formatted_in_many_chunks_by_two_threads_are_the_same_bytes(result, tmp_path,
                                                                                monkeypatch):
    from rightsmarker.engine import output, tables

    result.write(tmp_path / "whole", stages_format="csv")
    monkeypatch.setattr(output, "CSV_CHUNK_ROWS", 7)
    monkeypatch.setattr(tables, "CSV_CHUNK_ROWS", 7)
    result.write(tmp_path / "chunked", stages_format="csv")
    files = sorted(p.relative_to(tmp_path / "whole") for p in (tmp_path / "whole").rglob("*.csv"))
    assert len(files) == 9
    for f in files:
        assert (tmp_path / "whole" / f).read_bytes() == (tmp_path / "chunked" / f).read_bytes()
    assert len(result.scores) > 20 * 7  # many chunks


def test_the_dashboard_lists_indicators_then_aggregates_with_their_measured_values(result):
    dash = result.dashboard
    fw = result.framework
    measured = result.measured
    n_ind = len(measured) * measured.shape[1]
    head, tail = dash.iloc[:n_ind], dash.iloc[n_ind:]
    assert set(head["node"].astype(str)) == set(measured.columns)
    assert set(tail["node"].astype(str)) == {n.code for n in fw.aggregates}
    assert tail["value"].isna().all()
    assert np.array_equal(head["value"].to_numpy(), measured.to_numpy().ravel(), equal_nan=True)
    first = dash.iloc[: measured.shape[1]]
    assert first["unit"].nunique() == 1 and first["period"].nunique() == 1


def test_a_build_that_fails_midway_leaves_no_files_behind(syn, tmp_path):
    from rightsmarker.engine.method import load_method
    from rightsmarker.errors import RightsMarkerError

    method = load_method({"name": "bad", "steps": [
        {"step": "normalise", "params": {"method": "goalposts"}},
        {"step": "aggregate", "params": {"method": "arithmetic", "no_such_param": 1}}]})
    out = tmp_path / "out"
    with pytest.raises(RightsMarkerError):
        with ResultWriter(out, framework=syn.framework, method=method) as w:
            score(syn.framework, syn.observations, method, on_stage=w.stage)
    assert not out.exists()
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "notes.txt").write_text("mine")
    with pytest.raises(RightsMarkerError):
        with ResultWriter(kept, framework=syn.framework, method=method) as w:
            score(syn.framework, syn.observations, method, on_stage=w.stage)
    assert sorted(p.name for p in kept.iterdir()) == ["notes.txt"]
