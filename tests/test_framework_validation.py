"""Each framework validation rule: the problem names the node code, the field and the value."""

from __future__ import annotations

import pytest

from rightsmarker.errors import FrameworkError
from rightsmarker.framework.io import load_framework, validate_framework


def problems(data: dict, source: str | None = None) -> list[str]:
    """The problems reported for ``data`` as text (fails the test when it is valid)."""
    with pytest.raises(FrameworkError) as info:
        validate_framework(data, source=source)
    return [str(p) for p in info.value.problems]


def node(data: dict, code: str) -> dict:
    return next(n for n in data["nodes"] if n["code"] == code)


def only(found: list[str], *fragments: str) -> str:
    """The single problem, checked to contain every fragment."""
    assert len(found) == 1, found
    for fragment in fragments:
        assert fragment in found[0], found[0]
    return found[0]


def test_the_tiny_framework_is_valid(tiny_framework):
    assert tiny_framework.root == "index"
    assert tiny_framework.indicator_codes == [
        "ordinance",
        "action-plan",
        "poverty-rate",
        "employment-rate",
    ]


def test_it_rejects_a_negative_weight(tiny_framework_dict):
    node(tiny_framework_dict, "rights")["weight"] = -2
    only(problems(tiny_framework_dict), "'rights/weight'", "0 or more", "-2")


def test_it_rejects_an_unknown_parent(tiny_framework_dict):
    node(tiny_framework_dict, "poverty-rate")["parent"] = "inclusoin"
    only(problems(tiny_framework_dict), "poverty-rate", "unknown parent 'inclusoin'")


def test_it_rejects_a_second_root(tiny_framework_dict):
    node(tiny_framework_dict, "inclusion")["parent"] = None
    only(problems(tiny_framework_dict), "'inclusion/parent'", "second root", "'index'")


def test_it_rejects_a_framework_without_a_root(tiny_framework_dict):
    node(tiny_framework_dict, "index")["parent"] = "employment-rate"
    found = problems(tiny_framework_dict)
    assert any("no root node" in p for p in found)
    assert any("cycle" in p for p in found)


def test_it_rejects_a_cycle_and_shows_it(tiny_framework_dict):
    tiny_framework_dict["nodes"] += [
        {"code": "a", "parent": "b", "labels": {"en": "A", "ko": "가"}},
        {"code": "b", "parent": "a", "labels": {"en": "B", "ko": "나"}},
    ]
    only(problems(tiny_framework_dict), "parents form a cycle", "a -> b -> a")


def test_it_rejects_a_node_that_is_its_own_parent(tiny_framework_dict):
    node(tiny_framework_dict, "rights")["parent"] = "rights"
    found = problems(tiny_framework_dict)
    assert any("'rights/parent'" in p and "its own parent" in p for p in found)


def test_it_rejects_a_duplicate_code(tiny_framework_dict):
    tiny_framework_dict["nodes"].append(dict(node(tiny_framework_dict, "employment-rate")))
    only(problems(tiny_framework_dict), "duplicate code 'employment-rate'", "also node #7")


def test_it_rejects_an_indicator_with_children(tiny_framework_dict):
    node(tiny_framework_dict, "employment-rate")["parent"] = "ordinance"
    found = problems(tiny_framework_dict)
    only(found, "'ordinance/value_type'", "cannot have children", "employment-rate")


def test_it_rejects_a_leaf_that_is_not_an_indicator(tiny_framework_dict):
    tiny_framework_dict["nodes"].append(
        {"code": "empty-theme", "parent": "index", "labels": {"en": "E", "ko": "이"}}
    )
    only(problems(tiny_framework_dict), "'empty-theme/value_type'", "a leaf must be an indicator")


def test_it_rejects_a_stage_indicator_with_one_stage(tiny_framework_dict):
    plan = node(tiny_framework_dict, "action-plan")
    plan["stages"] = plan["stages"][:1]
    plan.pop("green"), plan.pop("red")
    only(problems(tiny_framework_dict), "'action-plan/stages'", "at least 2 stages", "has 1")


def test_it_rejects_stages_on_an_indicator_that_is_not_a_stage_indicator(tiny_framework_dict):
    node(tiny_framework_dict, "ordinance")["stages"] = [{"code": "a"}, {"code": "b"}]
    only(problems(tiny_framework_dict), "'ordinance/stages'", "only stage indicators")


def test_it_rejects_a_yes_no_goalpost_off_the_scale(tiny_framework_dict):
    node(tiny_framework_dict, "ordinance")["optimum"] = 5
    only(problems(tiny_framework_dict), "'ordinance/optimum'", "off the yes_no scale 0..1", "5")


def test_it_gives_qualitative_indicators_their_scale_as_default_goalposts(tiny_framework):
    assert tiny_framework.node("ordinance").goalposts() == (0.0, 1.0)
    assert tiny_framework.node("action-plan").goalposts() == (0.0, 4.0)


def test_it_reverses_default_goalposts_for_a_qualitative_indicator_with_direction_minus_one(
    tiny_framework_dict,
):
    ordinance = node(tiny_framework_dict, "ordinance")
    ordinance.update(direction=-1, green=0, red=1)
    fw = validate_framework(tiny_framework_dict)
    assert fw.node("ordinance").goalposts() == (1.0, 0.0)


def test_it_requires_lower_and_optimum_on_a_quantitative_indicator(tiny_framework_dict):
    rate = node(tiny_framework_dict, "employment-rate")
    del rate["lower"], rate["optimum"]
    found = problems(tiny_framework_dict)
    assert len(found) == 2
    assert "'employment-rate/lower'" in found[0] and "needs 'lower'" in found[0]
    assert "'employment-rate/optimum'" in found[1] and "needs 'optimum'" in found[1]


def test_it_rejects_equal_goalposts(tiny_framework_dict):
    node(tiny_framework_dict, "employment-rate")["optimum"] = 40
    only(problems(tiny_framework_dict), "employment-rate", "lower and optimum are equal (40)")


def test_it_rejects_goalposts_that_contradict_the_direction(tiny_framework_dict):
    node(tiny_framework_dict, "poverty-rate")["direction"] = 1
    only(
        problems(tiny_framework_dict),
        "'poverty-rate/direction'",
        "lower=40, optimum=5 contradict direction 1",
    )


def test_it_accepts_direction_minus_one_with_lower_above_optimum(tiny_framework):
    assert tiny_framework.node("poverty-rate").goalposts() == (40.0, 5.0)


def test_it_rejects_a_green_threshold_outside_the_goalposts(tiny_framework_dict):
    node(tiny_framework_dict, "employment-rate")["green"] = 95
    only(problems(tiny_framework_dict), "'employment-rate/green'", "95", "outside the goalposts")


def test_it_rejects_a_green_threshold_worse_than_red(tiny_framework_dict):
    node(tiny_framework_dict, "employment-rate").update(green=50, red=60)
    only(problems(tiny_framework_dict), "employment-rate", "green 50 is not better than red 60")


def test_it_judges_thresholds_by_direction(tiny_framework_dict):
    node(tiny_framework_dict, "poverty-rate").update(green=30, red=20)
    only(problems(tiny_framework_dict), "poverty-rate", "not better", "green < red")


def test_it_rejects_a_disaggregation_by_an_unknown_ground(tiny_framework_dict):
    node(tiny_framework_dict, "poverty-rate")["disaggregations"].append("star-sign")
    only(
        problems(tiny_framework_dict),
        "'poverty-rate/disaggregations'",
        "unknown ground 'star-sign'",
    )


def test_it_rejects_a_group_defined_over_an_unknown_ground(tiny_framework_dict):
    tiny_framework_dict["groups"] = [{"code": "night-workers", "definition": "shift=night"}]
    only(problems(tiny_framework_dict), "night-workers", "unknown ground 'shift'")


def test_it_rejects_a_group_defined_with_an_unknown_value_of_a_fixed_ground(tiny_framework_dict):
    tiny_framework_dict["groups"] = [{"code": "g", "definition": "sex=female;age=80+"}]
    only(problems(tiny_framework_dict), "'80+' is not a value of ground 'age'", "65+")


def test_it_rejects_a_malformed_group_definition(tiny_framework_dict):
    tiny_framework_dict["groups"] = [{"code": "g", "definition": "female"}]
    only(problems(tiny_framework_dict), "malformed condition 'female'")


def test_it_rejects_a_recognition_level_defined_twice(tiny_framework_dict):
    tiny_framework_dict["recognition"] = {"levels": [{"level": 1}, {"level": 2}, {"level": 2}]}
    only(problems(tiny_framework_dict), "recognition level 2 is defined twice")


def test_it_reports_a_label_missing_in_a_language_of_the_framework(tiny_framework_dict):
    del node(tiny_framework_dict, "rights")["labels"]["ko"]
    only(problems(tiny_framework_dict), "'rights/labels.ko'", "no 'ko' label")


def test_it_asks_labels_only_in_the_languages_listed(tiny_framework_dict):
    tiny_framework_dict["languages"] = ["en"]
    del node(tiny_framework_dict, "rights")["labels"]["ko"]
    assert validate_framework(tiny_framework_dict).languages == ["en"]


def test_it_rejects_an_unknown_field_naming_the_node_and_field(tiny_framework_dict):
    node(tiny_framework_dict, "ordinance")["colour"] = "blue"
    only(problems(tiny_framework_dict), "'ordinance/colour'", "unknown field", "'blue'")


def test_it_rejects_an_unknown_value_type_naming_the_node(tiny_framework_dict):
    node(tiny_framework_dict, "ordinance")["value_type"] = "boolean"
    only(problems(tiny_framework_dict), "'ordinance/value_type'", "'boolean'", "yes_no")


def test_it_rejects_indicator_fields_on_a_theme(tiny_framework_dict):
    node(tiny_framework_dict, "rights")["lower"] = 0
    only(problems(tiny_framework_dict), "'rights/lower'", "only indicators take 'lower'")


def test_it_rejects_goalposts_on_a_text_indicator(tiny_framework_dict):
    tiny_framework_dict["nodes"].append(
        {
            "code": "story",
            "parent": "rights",
            "labels": {"en": "S", "ko": "사"},
            "value_type": "text",
            "lower": 0,
        }
    )
    only(problems(tiny_framework_dict), "'story/lower'", "text indicator takes no 'lower'")


def test_it_collects_every_problem_at_once(tiny_framework_dict):
    node(tiny_framework_dict, "rights")["weight"] = -1
    node(tiny_framework_dict, "ordinance")["colour"] = "blue"
    node(tiny_framework_dict, "poverty-rate")["disaggregations"] = ["star-sign"]
    node(tiny_framework_dict, "employment-rate")["parent"] = "nowhere"
    found = problems(tiny_framework_dict)
    assert len(found) == 4
    assert not any("root" in p for p in found)  # a node in error does not cascade


def test_it_names_the_source_file_in_every_problem(tiny_framework_dict):
    node(tiny_framework_dict, "rights")["weight"] = -1
    only(problems(tiny_framework_dict, source="marker.yaml"), "marker.yaml, column 'rights/weight'")


def test_it_summarises_the_error_with_the_framework_name(tiny_framework_dict):
    node(tiny_framework_dict, "rights")["weight"] = -1
    with pytest.raises(FrameworkError) as info:
        load_framework(tiny_framework_dict)
    assert info.value.summary == "invalid framework tiny"
    assert info.value.hint


def test_it_validates_a_framework_object_too(tiny_framework):
    broken = tiny_framework.model_copy(deep=True)
    broken.nodes[2].green = 7
    with pytest.raises(FrameworkError, match="green threshold 7 is outside"):
        validate_framework(broken)


def test_it_rejects_something_that_is_not_a_mapping():
    with pytest.raises(FrameworkError, match="must be a mapping"):
        validate_framework(["not", "a", "framework"])  # type: ignore[arg-type]


def test_it_rejects_a_framework_without_nodes():
    only(problems({"code": "empty", "nodes": []}), "no nodes")
