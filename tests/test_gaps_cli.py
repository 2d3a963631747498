"""The ``rightsmarker gaps`` command."""

from __future__ import annotations

import pandas as pd
import pytest
import typer
import yaml
from typer.testing import CliRunner

from rightsmarker.cli import gaps_cmd

pytest.importorskip("rightsmarker.framework.io")
observations = pytest.importorskip("rightsmarker.observations")
if not hasattr(observations, "read_observations"):
    pytest.skip("read_observations is not available yet", allow_module_level=True)


@pytest.fixture
def app() -> typer.Typer:
    """An app with the gaps command (also registered in the real CLI's module list)."""
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Test app."""

    gaps_cmd.register(app)
    return app


@pytest.fixture
def files(tmp_path, tiny_framework_dict):
    fw = tmp_path / "framework.yaml"
    fw.write_text(yaml.safe_dump(tiny_framework_dict, allow_unicode=True), encoding="utf-8")
    rows = [
        ("seoul", 2021, "poverty-rate", "total", 10.0, 9.9, 10.1),
        ("seoul", 2021, "poverty-rate", "women", 12.0, 11.8, 12.2),
        ("seoul", 2022, "poverty-rate", "total", 10.0, 9.9, 10.1),
        ("seoul", 2022, "poverty-rate", "women", 15.0, 14.8, 15.2),
        ("seoul", 2022, "employment-rate", "total", 60.0, None, None),
    ]
    data = tmp_path / "observations.csv"
    pd.DataFrame(rows, columns=["unit", "period", "indicator", "group", "value", "ci_low",
                                "ci_high"]).to_csv(data, index=False)
    return fw, data


def test_the_gaps_command_writes_gaps_coverage_and_alerts(app, files, tmp_path):
    fw, data = files
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["gaps", "--framework", str(fw), "--data", str(data),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("gaps.csv", "coverage.csv", "coverage_summary.csv", "alerts.csv"):
        assert (out / name).is_file()
    table = pd.read_csv(out / "gaps.csv")
    last = table[table["period"] == 2022].iloc[0]
    assert last["group"] == "sex=female" and last["gap"] == 5.0
    assert bool(last["gap_change_significant"]) is True  # bounds from the file's ci columns
    alerts = pd.read_csv(out / "alerts.csv")
    assert set(alerts["reason"]) == {"value_worsened", "gap_widened"}
    coverage = pd.read_csv(out / "coverage.csv", keep_default_na=False)
    assert set(coverage["status"]) == {"partly", "not"}
    assert "2 alerts" in result.output and "Poverty rate" in result.output


def test_the_gaps_command_compares_with_the_best_off_group_on_request(app, files, tmp_path):
    fw, data = files
    out = tmp_path / "best"
    result = CliRunner().invoke(app, ["gaps", "-f", str(fw), "-d", str(data), "-o", str(out),
                                      "--reference", "best", "--absolute", "--widen", "1"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "gaps.csv")
    assert set(table["reference_group"]) == {"sex=female"} and (table["gap"] == 0).all()


def test_an_unknown_reference_is_a_user_error(files, tmp_path):
    from rightsmarker.cli.common import run_app

    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Test app."""

    gaps_cmd.register(app)
    fw, data = files
    code = run_app(app, ["gaps", "-f", str(fw), "-d", str(data), "-o", str(tmp_path),
                         "--reference", "median"])
    assert code == 2
