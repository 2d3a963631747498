"""Shared fixtures: a tiny literal framework every test can reuse.

``tiny_framework_dict`` is the framework as it would be written in YAML (a fresh copy per test,
so a test may change it); ``tiny_framework`` is the same loaded and validated.

    index
    ├── rights      ordinance (yes_no, structural), action-plan (stage, process)
    └── inclusion   poverty-rate (percent, direction -1), employment-rate (percent)
"""

from __future__ import annotations

import copy

import pytest

STAGES = [
    {"code": "none", "labels": {"en": "None", "ko": "없음"}},
    {"code": "planned", "labels": {"en": "Planned", "ko": "계획"}},
    {"code": "adopted", "labels": {"en": "Adopted", "ko": "채택"}},
    {"code": "implemented", "labels": {"en": "Implemented", "ko": "시행"}},
    {"code": "evaluated", "labels": {"en": "Evaluated", "ko": "평가"}},
]

TINY_FRAMEWORK = {
    "code": "tiny",
    "version": "1",
    "labels": {"en": "Tiny marker", "ko": "작은 지표"},
    "languages": ["en", "ko"],
    "nodes": [
        {"code": "index", "labels": {"en": "Tiny index", "ko": "작은 지수"}},
        {"code": "rights", "parent": "index", "labels": {"en": "Rights", "ko": "권리"}},
        {
            "code": "ordinance",
            "parent": "rights",
            "labels": {"en": "Anti-discrimination ordinance", "ko": "차별금지 조례"},
            "kind": "structural",
            "value_type": "yes_no",
            "green": 1,
            "red": 0,
            "references": [{"type": "treaty", "instrument": "ICCPR", "article": "26"}],
        },
        {
            "code": "action-plan",
            "parent": "rights",
            "labels": {"en": "Human rights action plan", "ko": "인권 기본계획"},
            "kind": "process",
            "value_type": "stage",
            "stages": STAGES,
            "green": 3,
            "red": 1,
            "references": [{"type": "udhr", "article": "25"}],
        },
        {"code": "inclusion", "parent": "index", "labels": {"en": "Inclusion", "ko": "통합"}},
        {
            "code": "poverty-rate",
            "parent": "inclusion",
            "labels": {"en": "Poverty rate", "ko": "빈곤율"},
            "kind": "outcome",
            "value_type": "percent",
            "unit": "%",
            "direction": -1,
            "lower": 40,
            "optimum": 5,
            "green": 10,
            "red": 25,
            "disaggregations": ["sex", "age"],
            "references": [{"type": "sdg", "target": "1.2"}],
        },
        {
            "code": "employment-rate",
            "parent": "inclusion",
            "labels": {"en": "Employment rate", "ko": "고용률"},
            "kind": "outcome",
            "value_type": "percent",
            "unit": "%",
            "lower": 40,
            "optimum": 80,
            "green": 70,
            "red": 55,
            "disaggregations": ["sex", "age"],
            "references": [{"type": "sdg", "target": "8.5"}],
        },
    ],
}


@pytest.fixture
def tiny_framework_dict() -> dict:
    """The tiny framework as plain data (a fresh deep copy)."""
    return copy.deepcopy(TINY_FRAMEWORK)


@pytest.fixture
def tiny_framework(tiny_framework_dict):
    """The tiny framework, loaded and validated (default grounds and groups merged in)."""
    from rightsmarker.framework.io import load_framework

    return load_framework(tiny_framework_dict)
