"""Results dashboard: the levels table's cells carry their colour in words, put in Python once
per cell (no template include per cell)."""

from __future__ import annotations

from results_fixtures import results_world_fixture  # noqa: F401  (the results_world fixture)


def test_the_levels_table_renders_no_template_per_cell(results_world, client):
    response = client.get("/results/")
    names = [t.name for t in response.templates]
    assert "results/dashboard.html" in names and "results/_colour.html" not in names
    html = response.content.decode()
    cells = html.split('id="results-levels"')[1].split("</table>")[0].count("<td data-node=")
    assert cells > 0
    assert html.count('aria-hidden="true"></span>') >= cells


def test_each_cell_shows_its_colour_in_words_in_the_language_of_the_page(results_world, client):
    import re

    from django.utils import translation

    from rightsmarker.web.results.pages import colour_words

    for language in ("en", "ko"):
        with translation.override(language):
            words = {colour_words()[c] for c in ("green", "yellow", "orange", "red")}
        assert (language == "en") == ("green" in words)
        html = client.get("/results/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        table = html.split('id="results-levels"')[1].split("</table>")[0]
        found = re.findall(r'<td data-node="[^"]+" data-colour="(\w*)"><span class="rm-swatch '
                           r'rm-colour-(\w+)" aria-hidden="true"></span>([^ <]+) ', table)
        assert found and all(colour == swatch for colour, swatch, _word in found)
        assert {word for _c, _s, word in found} <= words


def test_a_city_without_a_score_for_a_node_gets_a_grey_no_data_cell():
    from django.utils import translation

    from rightsmarker.web.results.pages import colour_words, level_cells

    rows = [{"unit": "a", "name": "A", "cells": [{"node": "index", "colour": "red"}, None]}]
    with translation.override("ko"):
        words = colour_words()
        cells = level_cells(rows, words)[0]["cells"]
    assert words["red"] != "red" and words[None] != "no data"
    assert cells[0] == {"node": "index", "colour": "red", "swatch": "red",
                        "colour_word": words["red"]}
    assert cells[1] == {"swatch": "grey", "colour_word": words[None]}
