"""The ``discover`` command: files written, errors as one line."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import typer
from typer.testing import CliRunner

from rightsmarker.cli import discover_cmd
from rightsmarker.cli.common import run_app
from rightsmarker.discovery import COLUMNS


def make_app() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)

    @app.callback()
    def _root(debug: bool = typer.Option(False, "--debug")) -> None:
        """Test root."""

    discover_cmd.register(app)
    return app


def sample_csv(path, n=1200, seed=0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "sex": rng.choice(["F", "M"], n),
        "tenure": rng.choice(["own", "rent", "social"], n),
        "age": rng.integers(18, 90, n),
        "wave": rng.choice(["w1", "w2"], n),
    })
    df["income"] = np.where(rng.random(n) < 0.3 + 0.3 * (df["tenure"] == "social"), "low", "ok")
    df.to_csv(path, index=False)
    return path


def test_the_discover_command_writes_the_documented_files(tmp_path):
    data = sample_csv(tmp_path / "people.csv")
    out = tmp_path / "out"
    result = CliRunner().invoke(make_app(), [
        "discover", "--data", str(data), "--outcome", "income", "--positive", "low",
        "--attributes", "sex,tenure,age", "--out", str(out)])
    assert result.exit_code == 0, result.output
    subgroups = pd.read_csv(out / "subgroups.csv")
    assert list(subgroups.columns[: len(COLUMNS)]) == COLUMNS
    assert subgroups.iloc[0]["definition"] == "tenure=social"
    assert json.loads((out / "summary.json").read_text())["params"]["positive"] == "low"
    assert (out / "bins.csv").exists()
    assert "tenure=social" in result.output


def test_the_discover_command_compares_waves(tmp_path):
    data = sample_csv(tmp_path / "people.csv")
    out = tmp_path / "out"
    result = CliRunner().invoke(make_app(), [
        "discover", "--data", str(data), "--outcome", "income", "--positive", "low",
        "--attributes", "sex,tenure", "--wave", "wave", "--waves", "w1,w2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "waves.csv").exists() and (out / "emerging.csv").exists()


def test_a_user_error_is_one_line_and_exit_code_2(tmp_path, capsys):
    data = sample_csv(tmp_path / "people.csv")
    code = run_app(make_app(), ["discover", "--data", str(data), "--outcome", "income",
                                "--attributes", "sex", "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert "not numeric" in err and "'low'" in err and "Traceback" not in err


def test_the_adult_example_runs(tmp_path):
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("adult_example", root / "examples/adult/run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = module.main(["--out", str(tmp_path)])
    top = out["discover"].top(5)["definition"].tolist()
    assert top[0] == "marital-status=Never-married" and "sex=Female" in top
    assert len(out["waves"].emerging) == 0
    assert (tmp_path / "discover" / "subgroups.csv").exists()
