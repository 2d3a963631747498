"""The Philadelphia example: conversion of the real "Health of the City" table, then gaps.

Skipped when ``../shared/data`` (outside the repository) is absent.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "philadelphia"
SOURCE = ROOT.parent / "shared" / "data" / "cities" / "philadelphia_health_of_the_city.csv"

pytestmark = pytest.mark.skipif(not SOURCE.is_file(), reason=f"{SOURCE} is not available")


def _convert_module():
    spec = importlib.util.spec_from_file_location("philadelphia_convert", EXAMPLE / "convert.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """(framework, observations with bounds, path of the observations file)."""
    from rightsmarker.framework.io import load_framework
    from rightsmarker.gaps import attach_uncertainty
    from rightsmarker.observations import read_observations

    out = tmp_path_factory.mktemp("philadelphia")
    fw_path, obs_path = _convert_module().convert(SOURCE, out)
    fw = load_framework(fw_path)
    obs = read_observations(obs_path, fw)
    return fw, attach_uncertainty(obs, obs_path, fw), fw_path


def test_the_committed_framework_is_the_one_the_converter_writes(converted):
    _, _, fw_path = converted
    assert fw_path.read_text(encoding="utf-8") == (EXAMPLE / "framework.yaml").read_text(
        encoding="utf-8")


def test_the_conversion_keeps_city_and_district_rows_by_sex_race_and_age(converted):
    fw, data, _ = converted
    # the city and 17 of the 18 planning districts (Lower South's values are all suppressed)
    assert "philadelphia" in set(data["unit"]) and data["unit"].nunique() == 18
    grounds = set(data["group"].str.replace(r"=[^;]*", "", regex=True))
    assert {"total", "sex", "race", "age", "race;sex", "age;race"} <= grounds
    assert data["se"].notna().sum() > 50  # bounds kept where the table has them
    directions = {n.code: n.direction for n in fw.indicators}
    assert directions["life_expectancy_at_birth"] == 1
    assert directions["infant_mortality_rate_per_1k_live_births"] == -1


def test_men_live_shorter_lives_than_women_in_every_planning_district(converted):
    from rightsmarker.gaps import gaps

    fw, data, _ = converted
    best = gaps(data, fw, reference="best")
    life = best[(best["indicator"] == "life_expectancy_at_birth") & (best["grounds"] == "sex")]
    assert set(life["reference_group"]) == {"sex=female"}
    men = life[(life["group"] == "sex=male") & (life["unit"] != "philadelphia")]
    assert men["unit"].nunique() == 17 and (men["gap"] > 3).all()


def test_black_men_face_several_times_the_citys_homicide_mortality(converted):
    from rightsmarker.gaps import gaps

    fw, data, _ = converted
    table = gaps(data, fw)
    sel = table[(table["indicator"] == "age_adjusted_mortality_rate_per_100k.homicide")
                & (table["group"] == "race=black;sex=male") & (table["period"] == 2021)]
    assert len(sel) == 1 and sel["ratio"].iloc[0] > 3 and bool(sel["worse"].iloc[0])


def test_the_child_poverty_gap_changes_are_tested_with_the_survey_margins(converted):
    from rightsmarker.gaps import gaps

    fw, data, _ = converted
    table = gaps(data, fw)
    child = table[(table["indicator"] == "percent_below_poverty")
                  & (table["group"] == "age=0-17")]
    tested = child["gap_change_significant"].dropna()
    assert len(tested) >= 5 and (child["gap"] > 0).all()


def test_the_coverage_report_finds_districts_without_a_race_breakdown(converted):
    from rightsmarker.gaps import coverage_summary, disaggregation_coverage

    fw, data, _ = converted
    cov = disaggregation_coverage(data, fw)
    districts = cov[cov["unit"] != "philadelphia"]
    assert set(districts["status"]) == {"partly"} and set(districts["missing"]) == {"race"}
    summary = coverage_summary(cov).set_index("unit")
    assert summary.loc["philadelphia", "share_fully"] > 0.9


def test_alerts_on_the_real_data_are_sentences(converted):
    from rightsmarker.gaps import gap_alerts, gaps

    fw, data, _ = converted
    alerts = gap_alerts(gaps(data, fw), framework=fw)
    assert len(alerts) > 0 and set(alerts["reason"]) <= {"value_worsened", "gap_widened"}
    assert alerts["message"].str.startswith("philadelphia, ").all()
    assert not pd.isna(alerts["severity"]).any()


def _readme_commands() -> list[list[str]]:
    """The README's shell commands (continuation lines joined; ``...`` examples skipped)."""
    import shlex

    text = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    block = text.split("```bash", 1)[1].split("```", 1)[0]
    lines = " ".join(block.replace("\\\n", " ").splitlines()).split(".venv/bin/")[1:]
    commands = [shlex.split(".venv/bin/" + line.split("#", 1)[0]) for line in lines]
    return [c for c in commands if "..." not in c]


def test_the_readme_commands_run(tmp_path):
    import subprocess
    import sys

    from rightsmarker.cli import app

    registered = {c.name for c in app.registered_commands}
    bin_dir = Path(sys.executable).parent
    commands = _readme_commands()
    assert len(commands) >= 4
    for command in commands:
        program, *args = command
        if program.endswith("rightsmarker") and args[0] not in registered:
            continue  # the command module is not in the CLI yet
        args = [a.replace("examples/philadelphia/build", str(tmp_path)) for a in args]
        exe = str(bin_dir / Path(program).name)
        done = subprocess.run([exe, *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, f"{command}: {done.stderr[-2000:]}"
    assert (tmp_path / "observations.csv").is_file()
