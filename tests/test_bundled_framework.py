"""The bundled framework ``social-inclusion-marker``: structure, completeness and coverage."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from rightsmarker.framework.io import load_framework, validate_framework
from rightsmarker.framework.model import Framework

YAML_PATH = (Path(__file__).resolve().parents[1]
             / "src/rightsmarker/frameworks/social-inclusion-marker.yaml")
THEMES = ["SPA", "SOC", "CUL", "ECO", "POL"]
KNOWN_GROUNDS = {
    "sex", "age", "disability", "migration-status", "nationality", "ethnicity", "race", "religion",
    "language", "income", "place-of-residence", "sexual-orientation", "gender-identity",
    "marital-status", "health-status", "education", "household-type",
}
TREATIES = {"ICCPR", "ICESCR", "CERD", "CEDAW", "CRC", "CRPD", "CMW", "CAT"}
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def fw() -> Framework:
    return load_framework("social-inclusion-marker")


def _score(n, x: float) -> float:
    return (x - n.lower) / (n.optimum - n.lower)


def test_the_yaml_validates_against_the_model_and_the_loader():
    raw = yaml.safe_load(YAML_PATH.read_text(encoding="utf-8"))
    Framework.model_validate(raw)
    assert validate_framework(raw, source=str(YAML_PATH)).code == "social-inclusion-marker"


def test_it_has_version_languages_and_depth_names(fw):
    assert fw.version == "1"
    assert fw.languages == ["en", "ko"]
    assert fw.depth_names == ["index", "theme", "sub-theme", "indicator"]
    assert fw.root == "SIM"
    assert fw.description["en"] and HANGUL.search(fw.description["ko"])


def test_it_has_five_themes_each_with_at_least_three_sub_themes(fw):
    assert fw.children("SIM") == THEMES
    for theme in THEMES:
        subs = fw.children(theme)
        assert len(subs) >= 3, theme
        assert all(not fw.node(s).is_indicator for s in subs)


def test_every_sub_theme_has_a_structural_a_process_and_an_outcome_indicator(fw):
    for theme in THEMES:
        for sub in fw.children(theme):
            kinds = {fw.node(c).kind for c in fw.children(sub) if fw.node(c).core}
            assert kinds == {"structural", "process", "outcome"}, sub


def test_it_has_at_least_45_indicators_all_at_depth_three(fw):
    assert len(fw.indicators) >= 45
    assert {fw.depth(n.code) for n in fw.indicators} == {3}
    per_theme = Counter(n.code.split(".")[0] for n in fw.indicators)
    assert all(per_theme[t] >= 9 for t in THEMES), per_theme


def test_every_node_has_english_and_korean_labels_and_definitions(fw):
    for n in fw.nodes:
        for lang in ("en", "ko"):
            assert n.labels.get(lang), (n.code, lang)
            assert n.definitions.get(lang), (n.code, lang)
        assert HANGUL.search(n.labels["ko"]) and HANGUL.search(n.definitions["ko"]), n.code


def test_every_indicator_has_its_unit_in_english_and_korean(fw):
    for n in fw.indicators:
        assert n.unit and n.unit_label("en") == n.unit, n.code
        assert HANGUL.search(n.unit_label("ko")), n.code


def test_every_indicator_is_complete(fw):
    for n in fw.indicators:
        assert n.kind and n.unit and n.formula, n.code
        assert n.rationale.get("en") and HANGUL.search(n.rationale.get("ko", "")), n.code
        assert n.sources and all(s.strip() for s in n.sources), n.code
        assert n.references, n.code
        assert None not in (n.lower, n.optimum, n.green, n.red), n.code
        assert n.weight == 1.0


def test_goalposts_and_thresholds_are_consistent(fw):
    for n in fw.indicators:
        assert (n.lower > n.optimum) == (n.direction == -1), n.code
        assert 0 <= _score(n, n.red) < _score(n, n.green) <= 1, n.code
        if n.value_type == "percent":
            assert all(0 <= x <= 100 for x in (n.lower, n.optimum, n.green, n.red)), n.code
        if n.value_type in ("yes_no", "stage"):
            assert (n.lower, n.optimum) == (0, n.scale_max()), n.code


def test_qualitative_indicators_ask_for_evidence_and_stages_are_labelled(fw):
    qualitative = [n for n in fw.indicators if n.value_type in ("yes_no", "stage")]
    assert sum(n.value_type == "yes_no" for n in qualitative) >= 5
    assert sum(n.value_type == "stage" for n in qualitative) >= 5
    for n in qualitative:
        assert "Evidence" in n.definitions["en"] or "evidence" in n.definitions["en"], n.code
    for n in (n for n in qualitative if n.value_type == "stage"):
        assert [s.code for s in n.stages] == [
            "none", "planned", "adopted", "implemented", "evaluated"]
        assert all(s.labels.get("en") and s.labels.get("ko") for s in n.stages)


def test_disaggregations_name_known_grounds_and_every_outcome_is_disaggregated(fw):
    for n in fw.indicators:
        assert set(n.disaggregations) <= KNOWN_GROUNDS, n.code
        if n.kind == "outcome" and n.code != "POL.1.O2":  # women's share of seats is itself a gap
            assert n.disaggregations, n.code
        if n.kind == "structural":
            assert n.disaggregations == [], n.code  # city-level commitments have no groups


def test_references_cover_udhr_core_treaties_sdgs_and_umf(fw):
    refs = [r for n in fw.indicators for r in n.references]
    assert {r.instrument for r in refs if r.type == "treaty"} == TREATIES
    assert all(r.article for r in refs if r.type in ("treaty", "udhr"))
    sdg = {r.target for r in refs if r.type == "sdg"}
    assert {"10.2", "11.1", "16.1", "16.7", "16.b", "5.5", "4.7"} <= sdg
    assert any(r.type == "umf" and r.target == "Society / Inclusive" for r in refs)


@pytest.mark.parametrize("topic, words", [
    ("violence and hate crime", ["violence", "hate crime"]),
    ("discrimination complaints", ["discrimination complaints"]),
    ("accessibility", ["accessib"]),
    ("housing", ["housing"]),
    ("migrants' access to services", ["migrants who could use the public services"]),
    ("participation of excluded groups", ["excluded groups"]),
    ("human rights education of officials", ["officials trained in human rights"]),
])
def test_the_required_topics_are_covered(fw, topic, words):
    labels = [n.labels["en"].lower() for n in fw.indicators]
    for word in words:
        assert any(word in label for label in labels), topic


def test_core_and_extension_indicators_are_marked(fw):
    ext = [n for n in fw.indicators if not n.core]
    assert 3 <= len(ext) <= 10
    assert all(".X" in n.code for n in ext)
    assert all(".X" not in n.code for n in fw.indicators if n.core)
    assert all(n.kind != "structural" for n in ext)  # skipping them never blocks structural_met


def test_recognition_has_four_levels_with_conditions(fw):
    rec = fw.recognition
    assert rec is not None and rec.theme_depth == 1
    assert [lv.level for lv in rec.levels] == [1, 2, 3, 4]
    assert [lv.labels["en"] for lv in rec.levels] == [
        "Committed", "Developing", "Established", "Leading"]
    for lv in rec.levels:
        assert lv.labels.get("ko") and lv.description.get("en") and lv.description.get("ko")
        assert lv.overall.children_min_level == lv.level
    level3 = rec.levels[2]
    assert level3.theme.min_score == 60 and level3.theme.structural_met == 1.0
    assert level3.overall.children_share == 0.8
    scores = [lv.theme.min_score or 0 for lv in rec.levels]
    assert scores == sorted(scores)


def test_the_generated_framework_docs_are_up_to_date():
    import importlib.util

    script = Path(__file__).resolve().parents[1] / "scripts" / "gen_framework_docs.py"
    spec = importlib.util.spec_from_file_location("gen_framework_docs", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0, "run scripts/gen_framework_docs.py and commit the pages"
