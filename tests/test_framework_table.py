"""The table form: columns, round trips through CSV, XLSX and DataFrames, and row-level errors."""

from __future__ import annotations

import pandas as pd
import pytest

from rightsmarker.errors import FrameworkError
from rightsmarker.framework.io import load_framework
from rightsmarker.framework.model import Reference
from rightsmarker.framework.table import (
    BASE_COLUMNS,
    export_table,
    from_table,
    join_list,
    metadata_path,
    parse_reference,
    reference_text,
    split_list,
    to_table,
)


def table_problems(source) -> list:
    with pytest.raises(FrameworkError) as info:
        from_table(source)
    return info.value.problems


def test_the_table_starts_with_the_documented_columns(tiny_framework):
    df = to_table(tiny_framework)
    assert list(df.columns[: len(BASE_COLUMNS)]) == BASE_COLUMNS
    assert {
        "weight",
        "stages",
        "denominator",
        "sources",
        "definition_en",
        "formula",
        "core",
    } <= set(df.columns)
    assert len(df) == len(tiny_framework.nodes)


def test_the_table_gives_each_node_its_level_and_short_references(tiny_framework):
    df = to_table(tiny_framework).set_index("code")
    assert df.loc["index", "level"] == 0 and df.loc["rights", "level"] == 1
    assert df.loc["ordinance", "level"] == 2
    assert df.loc["ordinance", "references"] == "ICCPR art. 26"
    assert df.loc["action-plan", "references"] == "UDHR art. 25"
    assert df.loc["poverty-rate", "references"] == "SDG 1.2"
    assert df.loc["poverty-rate", "disaggregations"] == "sex; age"
    assert df.loc["poverty-rate", "direction"] == -1
    assert df.loc["action-plan", "stages"] == "none; planned; adopted; implemented; evaluated"


def test_a_dataframe_round_trips(tiny_framework):
    assert from_table(to_table(tiny_framework)) == tiny_framework


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_table_file_round_trips(tiny_framework, tmp_path, fmt):
    path = export_table(tiny_framework, tmp_path / f"tiny.{fmt}", format=fmt)
    assert from_table(path) == tiny_framework


def test_a_csv_gets_a_metadata_sidecar(tiny_framework, tmp_path):
    path = export_table(tiny_framework, tmp_path / "tiny.csv")
    assert metadata_path(path) == tmp_path / "tiny.meta.yaml"
    assert "code: tiny" in metadata_path(path).read_text(encoding="utf-8")


def test_an_xlsx_keeps_the_metadata_in_a_framework_sheet(tiny_framework, tmp_path):
    path = export_table(tiny_framework, tmp_path / "tiny.xlsx", format="xlsx")
    sheets = pd.read_excel(path, sheet_name=None, dtype=str)
    assert list(sheets) == ["nodes", "framework"]
    meta = dict(zip(sheets["framework"]["key"], sheets["framework"]["value"], strict=True))
    assert meta["code"] == "tiny" and meta["version"] == "1"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_rich_framework_round_trips(tiny_framework_dict, tmp_path, fmt):
    """Every field, odd characters, a third language and a reference with no short form."""
    data = tiny_framework_dict
    data["languages"] = ["en", "ko", "fr"]
    data["depth_names"] = ["index", "theme", "indicator"]
    data["grounds"] = [{"code": "caste", "labels": {"en": "Caste"}}]
    data["groups"] = [{"code": "dalits", "definition": "caste=dalit"}]
    data["recognition"] = {"levels": [{"level": 1, "labels": {"en": "Committed"}}]}
    for n in data["nodes"]:
        n["labels"]["fr"] = n["labels"]["en"] + " (fr)"
    rate = next(n for n in data["nodes"] if n["code"] == "employment-rate")
    rate.update(
        weight=0.5,
        sources=["survey; wave 2", "C:\\data\\lfs.csv"],
        denominator="population_15_64",
        definitions={"en": "Employed / population, 15-64", "ko": "고용률"},
        rationale={"en": "Work is a right"},
        formula="employed / population_15_64 * 100",
        unit="% of residents aged 15-64",
        units={"ko": "% (15-64세 주민)", "fr": "% des résidents de 15 à 64 ans"},
        core=False,
        lower=40.5,
        green=70.25,
        references=[
            {"type": "treaty", "instrument": "ICESCR", "article": "6"},
            {"type": "other", "instrument": "ILO C122"},
            {"type": "sdg", "target": "8.5", "text": "Full employment; decent work"},
        ],
    )
    plan = next(n for n in data["nodes"] if n["code"] == "action-plan")
    plan["stages"][2]["labels"] = {"en": "Adopted"}  # no ko label for one stage
    fw = load_framework(data)
    path = export_table(fw, tmp_path / f"rich.{fmt}", format=fmt)
    assert from_table(path) == fw
    row = to_table(fw).set_index("code").loc["employment-rate"]
    assert (row["unit"], row["unit_ko"], row["unit_fr"]) == (
        "% of residents aged 15-64", "% (15-64세 주민)", "% des résidents de 15 à 64 ans")


def test_a_csv_without_metadata_takes_code_and_version_from_its_name(tiny_framework, tmp_path):
    path = export_table(tiny_framework, tmp_path / "city-marker-v2.csv")
    metadata_path(path).unlink()
    fw = from_table(path)
    assert (fw.code, fw.version) == ("city-marker", "2")
    assert fw.languages == ["en", "ko"]
    assert fw.nodes == tiny_framework.nodes


def test_a_minimal_csv_with_only_a_few_columns_loads(tmp_path):
    path = tmp_path / "mini.csv"
    path.write_text(
        "code,parent,label_en,value_type,lower,optimum\n"
        "all,,All,,,\n"
        "shelter,all,Shelter beds per 1000,rate,0,5\n",
        encoding="utf-8",
    )
    fw = from_table(path)
    assert fw.code == "mini" and fw.version == "1" and fw.languages == ["en"]
    assert fw.node("shelter").optimum == 5.0


def test_a_table_error_names_the_spreadsheet_row_and_column(tiny_framework, tmp_path):
    df = to_table(tiny_framework)
    df.loc[5, "lower"] = float("nan")  # poverty-rate, spreadsheet row 7
    df.loc[3, "parent"] = "nowhere"  # action-plan, row 5
    df.loc[2, "green"] = 5  # ordinance, row 4
    found = sorted(table_problems(df), key=lambda p: p.row)
    assert [(p.row, p.column) for p in found] == [(4, "green"), (5, "parent"), (7, "lower")]
    assert "ordinance" in found[0].message and found[0].value == 5
    assert "unknown parent 'nowhere'" in found[1].message
    assert "needs 'lower'" in found[2].message


def test_a_cell_that_is_not_a_number_is_reported_once(tiny_framework, tmp_path):
    path = export_table(tiny_framework, tmp_path / "tiny.csv")
    text = path.read_text(encoding="utf-8-sig").replace(",40,5,10,25,", ",forty,5,10,25,")
    path.write_text(text, encoding="utf-8")
    (problem,) = table_problems(path)
    assert (problem.file, problem.row, problem.column) == (str(path), 7, "lower")
    assert problem.value == "forty" and "not a number" in problem.message


def test_an_xlsx_error_names_the_row_as_the_spreadsheet_shows_it(tiny_framework, tmp_path):
    df = to_table(tiny_framework)
    df.loc[6, "label_ko"] = None  # employment-rate, row 8
    path = tmp_path / "t.xlsx"
    with pd.ExcelWriter(path) as writer:
        df.to_excel(writer, sheet_name="nodes", index=False)
    (problem,) = table_problems(path)
    assert (problem.row, problem.column) == (8, "label_ko")


def test_it_reports_an_unknown_column_in_the_header_row(tiny_framework):
    df = to_table(tiny_framework).rename(columns={"optimum": "optimun"})
    found = table_problems(df)
    assert any(
        p.row == 1 and p.column == "optimun" and "unknown column" in p.message for p in found
    )


def test_it_reports_stage_labels_that_do_not_match_the_stages(tiny_framework):
    df = to_table(tiny_framework)
    df.loc[3, "stage_labels_en"] = "None; Planned"
    found = table_problems(df)
    assert (found[0].row, found[0].column) == (5, "stage_labels_en")
    assert "2 stage labels for 5 stages" in found[0].message


def test_it_skips_empty_rows_but_keeps_row_numbers(tiny_framework):
    df = to_table(tiny_framework)
    df = df.astype(object)
    df.index = [0, 1, 3, 4, 5, 6, 7]
    df = df.reindex(range(8))  # row 2 (spreadsheet row 4) left empty
    assert from_table(df).nodes == tiny_framework.nodes
    df.loc[3, "green"] = 5  # ordinance, now on row 5
    assert [(p.row, p.column) for p in table_problems(df)] == [(5, "green")]


def test_list_cells_escape_semicolons():
    items = ["a; b", "c"]
    assert join_list(items) == "a\\; b; c"
    assert split_list(join_list(items)) == items


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ICCPR art. 26", Reference(type="treaty", instrument="ICCPR", article="26")),
        ("CRC article 3", Reference(type="treaty", instrument="CRC", article="3")),
        ("CEDAW", Reference(type="treaty", instrument="CEDAW")),
        ("SDG 10.3", Reference(type="sdg", target="10.3")),
        ("UDHR art. 25", Reference(type="udhr", article="25")),
        ("UDHR", Reference(type="udhr")),
        ("UMF Society / Inclusive", Reference(type="umf", target="Society / Inclusive")),
        ("Gwangju ordinance art. 4", Reference(instrument="Gwangju ordinance", article="4")),
        ('{"type": "other", "text": "free"}', Reference(type="other", text="free")),
    ],
)
def test_it_reads_references_in_their_short_form(text, expected):
    assert parse_reference(text) == expected


def test_a_reference_without_an_exact_short_form_is_written_as_json():
    ref = Reference(type="sdg", target="8.5", text="decent work")
    assert reference_text(ref).startswith("{")
    assert parse_reference(reference_text(ref)) == ref


def test_it_rejects_an_unknown_table_format(tiny_framework, tmp_path):
    with pytest.raises(FrameworkError, match="unknown table format"):
        export_table(tiny_framework, tmp_path / "x.ods", format="ods")


def test_load_framework_reads_a_table_path_too(tiny_framework, tmp_path):
    from rightsmarker.framework.io import load_framework as load

    assert load(export_table(tiny_framework, tmp_path / "t.xlsx")) == tiny_framework
    assert load(str(export_table(tiny_framework, tmp_path / "t.csv"))) == tiny_framework
