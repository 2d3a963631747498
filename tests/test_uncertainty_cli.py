"""The ``rightsmarker uncertainty`` command on the fictional demo data (three periods)."""

from __future__ import annotations

import pandas as pd
import pytest
import typer
import yaml

from rightsmarker.cli import uncertainty_cmd
from rightsmarker.cli.common import run_app
from rightsmarker.demo import demo_data

FACTORS = {"factors": [
    {"name": "weights", "type": "weights", "f": 0.3, "levels": [2, 3]},
    {"name": "aggregation", "type": "aggregation",
     "alternatives": [{"method": "arithmetic"}, {"method": "geometric", "offset": 1}]},
]}


def _app() -> typer.Typer:
    app = typer.Typer(add_completion=False)

    @app.callback()
    def _root() -> None:
        """test app"""

    uncertainty_cmd.register(app)
    return app


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ua")
    demo_data(n_cities=8).observations.to_csv(folder / "observations.csv", index=False)
    (folder / "factors.yaml").write_text(yaml.safe_dump(FACTORS), encoding="utf-8")
    return folder


def test_it_writes_rank_stats_and_sensitivity_with_the_documented_columns(inputs, tmp_path):
    code = run_app(_app(), [
        "uncertainty", "--framework", "social-inclusion-marker",
        "--data", str(inputs / "observations.csv"), "--factors", str(inputs / "factors.yaml"),
        "--runs", "40", "--out", str(tmp_path), "--seed", "3", "--sensitivity",
        "--n-sensitivity", "8", "--bootstrap", "20"])
    assert code == 0
    rs = pd.read_csv(tmp_path / "rank_stats.csv")
    assert list(rs.columns) == ["unit", "node", "period", "nominal", "mean", "median", "q05",
                                "q95"]
    assert rs["period"].nunique() == 3
    sens = pd.read_csv(tmp_path / "sensitivity.csv")
    assert list(sens.columns) == ["factor", "Si", "STi", "Si_low", "Si_high", "STi_low",
                                  "STi_high"]
    assert list(sens["factor"]) == ["weights", "aggregation"]
    levels = pd.read_csv(tmp_path / "levels.csv")
    assert {"share", "robust", "robust_level"} <= set(levels.columns)


def test_a_bad_factors_file_is_one_clear_error(inputs, tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("factors:\n  - {type: colour}\n", encoding="utf-8")
    code = run_app(_app(), [
        "uncertainty", "-f", "social-inclusion-marker", "-d", str(inputs / "observations.csv"),
        "--factors", str(bad), "--runs", "5", "-o", str(tmp_path / "out")])
    assert code == 2
    err = capsys.readouterr().err
    assert "invalid factors" in err and "factors[0].type" in err
