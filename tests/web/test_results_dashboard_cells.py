"""Results dashboard: a node without a score is a grey "no data" cell whatever its indicators'
colours, and recognition levels (nominal and robust) read as whole numbers."""

from __future__ import annotations

import re

import pytest
from results_fixtures import results_world_fixture  # noqa: F401  (the results_world fixture)

# Each node needs 90 % of its children: without its 2024 employment rate, aranvale's inclusion
# theme and index have no score (their indicators still have colours).
STRICT = """name: strict
steps:
- {step: normalise, params: {method: goalposts}}
- {step: weight, params: {method: framework}}
- {step: aggregate, params: {method: arithmetic, min_coverage: 0.9}}
"""


LEVELS = {"levels": [
    {"level": 1, "labels": {"en": "Starting", "ko": "시작"}, "theme": {"min_score": 20}},
    {"level": 2, "labels": {"en": "Advanced", "ko": "고급"}, "theme": {"min_score": 60}}]}


@pytest.fixture
def framework_version(db, tiny_framework_dict):
    """The tiny framework with two recognition levels (it has none of its own) and a
    sub-theme ``laws`` (under rights, over its indicators), which has rank intervals but no
    recognition level."""
    from rightsmarker.framework.io import yaml_dump
    from rightsmarker.web.frameworks.importing import import_framework

    nodes = tiny_framework_dict["nodes"]
    for node in nodes:
        if node.get("parent") == "rights":
            node["parent"] = "laws"
    nodes.insert(2, {"code": "laws", "parent": "rights", "labels": {"en": "Laws", "ko": "법"}})
    return import_framework(yaml_dump(tiny_framework_dict | {"recognition": LEVELS}),
                            source="tiny.yaml")


@pytest.fixture(name="strict_run")
def strict_run_fixture(results_world):
    from rightsmarker.web.results.services import score_cycle

    results_world.published.values.filter(indicator="employment-rate").delete()
    return score_cycle(results_world.past, STRICT, uncertainty_runs=6)


def test_a_node_without_a_score_is_a_grey_no_data_cell(strict_run, client):
    rows = client.get(f"/results.json?run={strict_run.pk}").json()["rows"]
    index = next(r for r in rows if r["unit"] == "aranvale" and r["node"] == "index")
    assert index["score"] is None and index["colour"] == "grey"
    assert all(r["colour"] != "grey" for r in rows if r["score"] is not None)
    html = client.get(f"/results/?run={strict_run.pk}").content.decode()
    row = html.split('<tr data-unit="aranvale">')[1].split("</tr>")[0]
    cell = re.search(r'<td data-node="index"[^>]*>.*?</td>', row, re.S).group(0)
    assert 'data-colour="grey"' in cell and "rm-colour-grey" in cell and "no data –" in cell
    assert "red –" not in html and "orange –" not in html and "yellow –" not in html


def test_levels_and_robust_levels_read_as_whole_numbers(strict_run, client):
    rows = client.get(f"/results.json?run={strict_run.pk}").json()["rows"]
    robust = [r["robust_level"] for r in rows if r["robust_level"] is not None]
    levels = [r["level"] for r in rows if r["level"] is not None]
    assert robust and levels
    assert all(isinstance(v, int) for v in robust + levels), (robust, levels)
    html = client.get(f"/results/?run={strict_run.pk}").content.decode()
    assert "robust L" in html
    assert not re.search(r"L\d+\.\d", html), re.findall(r".{20}L\d+\.\d.{20}", html)
    profile = client.get(f"/results/city/bellmora/?run={strict_run.pk}").content.decode()
    assert "<td>L" in profile and not re.search(r"L\d+\.\d", profile)
