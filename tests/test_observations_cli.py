"""The ``rightsmarker validate`` and ``rightsmarker template`` commands."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
import yaml

HEADER = ["unit", "period", "indicator", "group", "value"]


def run(*args):
    return subprocess.run([sys.executable, "-m", "rightsmarker", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def fw_path(tmp_path, tiny_framework_dict):
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny_framework_dict, allow_unicode=True), encoding="utf-8")
    return path


def test_validate_prints_a_summary_of_a_good_table(tmp_path, fw_path):
    data = tmp_path / "good.csv"
    pd.DataFrame([("A", 2023, "ordinance", "total", "yes"),
                  ("B", 2023, "poverty-rate", "sex=female", "12")], columns=HEADER).to_csv(
        data, index=False)
    out = run("validate", "--framework", fw_path, "--data", data)
    assert out.returncode == 0, out.stderr
    assert "rows" in out.stdout and "units" in out.stdout and "coverage" in out.stdout


def test_validate_names_each_bad_value_row_and_column_and_exits_non_zero(tmp_path, fw_path):
    data = tmp_path / "bad.csv"
    pd.DataFrame([("A", 2023, "ordinance", "total", "maybe"),
                  ("A", "20x3", "poverty-rate", "total", "12"),
                  ("B", 2023, "nope", "total", "1")], columns=HEADER).to_csv(data, index=False)
    out = run("validate", "-f", fw_path, "-d", data)
    assert out.returncode == 2
    err = " ".join(out.stderr.split())  # Rich wraps long lines
    for text in ("bad.csv, row 2, column 'value'", "'maybe'", "row 3, column 'period'", "'20x3'",
                 "row 4, column 'indicator'", "'nope'"):
        assert text in err, err
    assert "Traceback" not in out.stderr + out.stdout


def test_validate_accepts_a_bundled_framework_name(tmp_path):
    data = tmp_path / "x.csv"
    pd.DataFrame([("A", 2023, "nope", "total", "1")], columns=HEADER).to_csv(data, index=False)
    out = run("validate", "--framework", "social-inclusion-marker", "--data", data)
    assert out.returncode == 2 and "unknown indicator code" in out.stderr


def test_template_writes_a_workbook_with_units_and_period(tmp_path, fw_path):
    units = tmp_path / "units.csv"
    units.write_text("unit,name\nseoul,Seoul\n")
    out_path = tmp_path / "t.xlsx"
    out = run("template", "--framework", fw_path, "--out", out_path, "--units", units,
              "--period", 2025)
    assert out.returncode == 0, out.stderr
    ws = openpyxl.load_workbook(out_path)["rights"]
    assert (ws["A2"].value, ws["B2"].value) == ("seoul", 2025)
