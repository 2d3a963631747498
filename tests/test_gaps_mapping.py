"""Mapping discovered groups (microdata columns and values) to the framework's vocabulary."""

from __future__ import annotations

import pytest

import rightsmarker as rm
from rightsmarker.gaps.mapping import age_band, map_group, mapped_group


def test_matching_names_and_values_map_case_insensitively_to_a_canonical_group():
    mapping = map_group("sex=Female;race=Black")
    assert mapping.canonical == "race=black;sex=female"
    assert [(p.ground, p.ground_value) for p in mapping.pairs] == [("sex", "female"),
                                                                   ("race", "black")]
    assert not mapping.unmapped and not mapping.problems


def test_synonyms_map_column_names_and_values():
    mapping = map_group("gender=F;Disability_Status=1")
    assert mapping.canonical == "disability=yes;sex=female"
    assert [p.how for p in mapping.pairs] == ["synonym/synonym", "synonym/synonym"]


def test_a_ground_label_in_any_language_names_the_ground():
    assert map_group("Migration status=immigrant").canonical == "migration-status=migrant"
    assert map_group("성별=female").canonical == "sex=female"


def test_a_single_condition_equal_to_a_vocabulary_group_names_the_group():
    assert map_group("sex=Woman").group_code == "women"
    assert map_group("age=>=65").group_code == "older-persons"
    assert map_group("disability=yes;sex=female").group_code is None


@pytest.mark.parametrize("value, band", [(">=65", "65+"), ("[18, 25)", "18-24"), ("<18", "0-17"),
                                         ("65+", "65+"), ("[25, 65)", "25-64"),
                                         ("[20, 30)", None), ("[17.5, 25)", None), ("old", None)])
def test_an_age_bin_maps_to_the_band_it_equals(value, band):
    assert age_band(value, ["0-17", "18-24", "25-64", "65+"]) == band


def test_an_unknown_column_or_value_is_flagged_and_leaves_no_canonical_group():
    mapping = map_group("workclass=Private;sex=Female;age=[20, 30)")
    assert mapping.canonical is None
    assert [p.attribute for p in mapping.unmapped] == ["workclass", "age"]
    assert mapping.pairs[2].ground == "age" and mapping.pairs[2].ground_value is None
    assert mapping.problems == ["workclass=Private: no ground", "age=[20, 30): no value of age"]


def test_two_conditions_on_one_ground_are_a_problem():
    mapping = map_group("sex=female;gender=male")
    assert mapping.canonical is None and "given twice" in mapping.problems[0]


def test_open_grounds_follow_the_spelling_of_the_observations():
    assert map_group("race=BLACK", known_groups=["race=Black;sex=female"]).canonical == "race=Black"
    assert map_group("race=Black Caribbean").canonical == "race=black-caribbean"


def test_the_frameworks_own_grounds_and_values_are_used():
    fw = rm.load_framework("examples/philadelphia/framework.yaml")
    mapping = map_group("Race/ethnicity=Asian Pacific Islander;age=>=65", fw)
    assert mapping.canonical == "age=65+;race=asian-pacific-islander"
    assert map_group("race=martian", fw).problems == ["race=martian: no value of race"]


def test_an_edited_mapping_is_checked_against_the_vocabulary():
    ok = mapped_group("workclass=Private;sex=F", [("economic-social-situation", "private"),
                                                  ("sex", "female")])
    assert ok.canonical == "economic-social-situation=private;sex=female"
    bad = mapped_group("sex=F", [("sex", "robot")])
    assert bad.canonical is None and "not a value of ground 'sex'" in bad.problems[0]
    left = mapped_group("sex=F;x=1", [("sex", "female"), ("", "")])
    assert left.canonical is None and left.problems == ["x=1: no ground"]
