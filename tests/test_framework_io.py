"""Loading, saving, bundled names, the default vocabulary and the JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from rightsmarker.errors import FrameworkError, UnknownNameError
from rightsmarker.framework import io
from rightsmarker.framework.io import (
    bundled_frameworks,
    framework_schema,
    load_framework,
    save_framework,
    validate_framework,
)
from rightsmarker.framework.vocabulary import DEFAULT_GROUNDS, DEFAULT_GROUPS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def bundled_dir(tmp_path, monkeypatch, tiny_framework_dict):
    """A temporary bundled folder holding ``tiny.yaml``."""
    folder = tmp_path / "frameworks"
    folder.mkdir()
    (folder / "tiny.yaml").write_text(yaml.safe_dump(tiny_framework_dict, allow_unicode=True))
    monkeypatch.setattr(io, "BUNDLED_DIR", folder)
    return folder


def test_it_loads_a_yaml_file_given_as_a_string_or_a_path(tmp_path, tiny_framework_dict):
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny_framework_dict, allow_unicode=True), encoding="utf-8")
    assert load_framework(str(path)) == load_framework(path)
    assert load_framework(path).node("poverty-rate").labels["ko"] == "빈곤율"


def test_it_returns_a_framework_object_as_is(tiny_framework):
    assert load_framework(tiny_framework) is tiny_framework


def test_it_loads_a_bundled_framework_by_name(bundled_dir, tiny_framework):
    assert bundled_frameworks() == ["tiny"]
    assert load_framework("tiny") == tiny_framework


def test_it_names_the_known_frameworks_for_an_unknown_name(bundled_dir):
    with pytest.raises(UnknownNameError, match="unknown framework 'tinny'; known: tiny") as info:
        load_framework("tinny")
    assert "framework list" in info.value.hint


def test_it_raises_file_not_found_for_a_missing_yaml_path(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_framework(tmp_path / "missing.yaml")
    with pytest.raises(FileNotFoundError):
        load_framework("no/such/framework.yaml")


@pytest.mark.parametrize("name", bundled_frameworks())
def test_every_bundled_framework_loads_and_round_trips(name, tmp_path):
    fw = load_framework(name)
    assert load_framework(save_framework(fw, tmp_path / f"{name}.yaml")) == fw


def test_a_saved_framework_loads_back_equal(tiny_framework, tmp_path):
    path = save_framework(tiny_framework, tmp_path / "out.yaml")
    assert load_framework(path) == tiny_framework


def test_saving_leaves_out_defaults_and_the_default_vocabulary(tiny_framework, tmp_path):
    text = save_framework(tiny_framework, tmp_path / "out.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert "grounds" not in data and "groups" not in data
    assert all("weight" not in n and "core" not in n for n in data["nodes"])
    assert data["nodes"][5]["lower"] == 40  # whole numbers without ".0"
    assert "빈곤율" in text  # Korean written as such, not escaped


def test_every_framework_gets_the_default_grounds_and_groups(tiny_framework):
    assert [g.code for g in tiny_framework.grounds] == [g.code for g in DEFAULT_GROUNDS]
    assert tiny_framework.group("women").conditions() == {"sex": ["female"]}
    assert len(tiny_framework.groups) == len(DEFAULT_GROUPS)


def test_a_framework_ground_or_group_overrides_the_default_of_the_same_code(
    tiny_framework_dict, tmp_path
):
    tiny_framework_dict["grounds"] = [
        {"code": "age", "labels": {"en": "Age"}, "values": ["0-14", "15-64", "65+"]},
        {"code": "caste", "labels": {"en": "Caste"}},
    ]
    tiny_framework_dict["groups"] = [{"code": "children", "definition": "age=0-14"}]
    fw = load_framework(tiny_framework_dict)
    codes = [g.code for g in fw.grounds]
    assert codes.count("age") == 1 and codes[-1] == "caste"
    assert fw.grounds[codes.index("age")].values == ["0-14", "15-64", "65+"]
    assert fw.group("children").definition == "age=0-14"
    saved = yaml.safe_load(save_framework(fw, tmp_path / "f.yaml").read_text(encoding="utf-8"))
    assert [g["code"] for g in saved["grounds"]] == ["age", "caste"]
    assert load_framework(tmp_path / "f.yaml") == fw


def test_the_default_vocabulary_has_english_and_korean_labels():
    for item in [*DEFAULT_GROUNDS, *DEFAULT_GROUPS]:
        assert item.labels.get("en") and item.labels.get("ko"), item.code


def test_the_default_groups_are_defined_over_default_grounds(tiny_framework):
    # validation would reject a default group naming an unknown ground or value
    assert {"women", "older-persons", "refugees-asylum-seekers", "homeless-persons"} <= {
        g.code for g in tiny_framework.groups
    }
    assert tiny_framework.group("refugees-asylum-seekers").conditions() == {
        "migration-status": ["refugee", "asylum-seeker"]
    }


def test_it_ignores_x_extension_keys_used_for_yaml_anchors(tmp_path, tiny_framework):
    text = save_framework(tiny_framework, tmp_path / "a.yaml").read_text(encoding="utf-8")
    text = "x-goalposts: &goalposts {lower: 40, optimum: 80}\n" + text
    text = text.replace("  lower: 40\n  optimum: 80\n", "  <<: *goalposts\n")
    assert "<<: *goalposts" in text
    path = tmp_path / "b.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_framework(path) == tiny_framework


def test_a_default_group_that_does_not_fit_redefined_grounds_is_left_out(tiny_framework_dict):
    tiny_framework_dict["grounds"] = [{"code": "age", "values": ["0-14", "15-64", "65+"]}]
    fw = load_framework(tiny_framework_dict)
    codes = [g.code for g in fw.groups]
    assert "youth" not in codes and "children" not in codes and "older-persons" in codes


def test_it_reads_yes_and_no_as_text_not_booleans(tmp_path, tiny_framework):
    text = save_framework(tiny_framework, tmp_path / "a.yaml").read_text(encoding="utf-8")
    text = text.replace("code: none", "code: no")  # a stage code a person might write
    path = tmp_path / "b.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_framework(path).node("action-plan").stages[0].code == "no"


def test_it_reports_a_yaml_syntax_error_with_its_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("code: x\nnodes:\n  - code: [unclosed\n", encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    problem = info.value.problems[0]
    assert problem.file == str(path) and problem.row is not None
    assert "not valid YAML" in problem.message


def test_validation_returns_the_framework_with_the_vocabulary_merged(tiny_framework_dict):
    fw = validate_framework(tiny_framework_dict)
    assert "sex" in fw.ground_codes()


def test_the_schema_describes_the_framework_file():
    schema = framework_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"code", "nodes"} <= set(schema["properties"])
    assert schema["patternProperties"] == {"^x-": {}}
    assert "Node" in schema["$defs"]


def test_the_published_schema_is_up_to_date():
    published = ROOT / "docs" / "reference" / "framework-schema.json"
    assert json.loads(published.read_text(encoding="utf-8")) == framework_schema(), (
        "regenerate with: .venv/bin/python scripts/gen_schema.py"
    )


def test_the_example_in_the_framework_guide_loads():
    guide = (ROOT / "docs" / "guide" / "framework.md").read_text(encoding="utf-8")
    example = guide.split("```yaml\n", 1)[1].split("```", 1)[0]
    fw = load_framework(yaml.safe_load(example))
    assert fw.indicator_codes == ["ordinance", "action-plan", "poverty-rate"]
    assert fw.node("poverty-rate").goalposts() == (40.0, 5.0)
