"""The ``rightsmarker framework`` commands."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from rightsmarker.cli import app
from rightsmarker.cli.common import run_app
from rightsmarker.framework import io
from rightsmarker.framework.io import framework_schema, load_framework, save_framework


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = run_app(app, list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tiny_yaml(tiny_framework, tmp_path):
    return save_framework(tiny_framework, tmp_path / "tiny.yaml")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_the_framework_back(capsys, tiny_yaml, tiny_framework, fmt):
    table = tiny_yaml.with_name(f"table.{fmt}")
    code, _, err = run(
        capsys, "framework", "export", str(tiny_yaml), "--format", fmt, "--out", str(table)
    )
    assert code == 0 and table.is_file() and f"wrote {table}" in err
    back = tiny_yaml.with_name("back.yaml")
    code, _, err = run(capsys, "framework", "import", str(table), "--out", str(back))
    assert code == 0 and "4 indicators" in err
    assert load_framework(back) == tiny_framework


def test_export_takes_the_format_from_the_output_name(capsys, tiny_yaml):
    out = tiny_yaml.with_name("t.xlsx")
    assert run(capsys, "framework", "export", str(tiny_yaml), "--out", str(out))[0] == 0
    assert out.read_bytes()[:2] == b"PK"  # a zip container: XLSX


def test_show_prints_the_tree_with_labels(capsys, tiny_yaml):
    code, out, _ = run(capsys, "framework", "show", str(tiny_yaml), "--lang", "ko")
    assert code == 0
    assert "빈곤율" in out and "poverty-rate" in out and "lower is better" in out
    assert "7 nodes, 4 indicators" in out


def test_show_accepts_a_bundled_name(capsys, tiny_framework_dict, tmp_path, monkeypatch):
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(tiny_framework_dict), encoding="utf-8")
    monkeypatch.setattr(io, "BUNDLED_DIR", tmp_path)
    code, out, _ = run(capsys, "framework", "show", "tiny", "--depth", "1")
    assert code == 0 and "Inclusion" in out and "Poverty rate" not in out


def test_list_shows_the_bundled_frameworks(capsys, tiny_framework_dict, tmp_path, monkeypatch):
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(tiny_framework_dict), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("code: broken\nnodes: []\n", encoding="utf-8")
    monkeypatch.setattr(io, "BUNDLED_DIR", tmp_path)
    code, out, _ = run(capsys, "framework", "list")
    assert code == 0 and "tiny" in out and "Tiny marker" in out
    assert "broken" in out and "invalid" in out


def test_schema_writes_the_json_schema(capsys, tmp_path):
    out = tmp_path / "schema.json"
    assert run(capsys, "framework", "schema", "--out", str(out))[0] == 0
    assert json.loads(out.read_text(encoding="utf-8")) == framework_schema()
    code, printed, _ = run(capsys, "framework", "schema")
    assert json.loads(printed)["title"] == "Framework"


def test_check_reports_a_valid_framework(capsys, tiny_yaml):
    code, out, _ = run(capsys, "framework", "check", str(tiny_yaml))
    assert code == 0 and "ok: tiny version 1: 7 nodes, 4 indicators" in out


def test_an_invalid_framework_exits_2_with_every_problem_and_no_traceback(capsys, tiny_yaml):
    text = tiny_yaml.read_text(encoding="utf-8").replace("lower: 40\n  optimum: 80", "lower: 40")
    text = text.replace("parent: rights", "parent: rites", 1)
    tiny_yaml.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "framework", "check", str(tiny_yaml))
    assert code == 2
    assert "unknown parent 'rites'" in err and "needs 'optimum'" in err
    assert "Traceback" not in err


def test_an_unknown_framework_name_exits_2(capsys):
    code, _, err = run(capsys, "framework", "show", "no-such-framework")
    assert code == 2 and "unknown framework 'no-such-framework'" in err
    assert "Traceback" not in err


def test_a_missing_table_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "framework", "import", str(tmp_path / "missing.csv"))
    assert code == 2 and "missing.csv" in err


def test_a_bad_table_exits_2_naming_row_and_column(capsys, tiny_yaml):
    table = tiny_yaml.with_name("t.csv")
    run(capsys, "framework", "export", str(tiny_yaml), "--out", str(table))
    text = table.read_text(encoding="utf-8-sig").replace(",40,5,10,25,", ",forty,5,10,25,")
    table.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "framework", "import", str(table), "--out", str(table) + ".yaml")
    assert code == 2 and "row 7" in err and "column 'lower'" in err and "forty" in err


def test_the_installed_command_prints_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: bad\nnodes:\n  - code: a\n    weight: -1\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "rightsmarker", "framework", "check", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "weight must be 0 or more" in proc.stderr and "Traceback" not in proc.stderr
