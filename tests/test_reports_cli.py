"""The ``report`` command, registered on its own Typer app (scoring from files)."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from rightsmarker.cli.report_cmd import register
from rightsmarker.demo import demo_data


@pytest.fixture(scope="module")
def app():
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """rightsmarker"""

    return app


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    data = demo_data(n_cities=3)
    data.write(folder)
    return folder, data.cities


def test_it_writes_an_html_report_of_one_city_for_a_cycle(app, demo_dir, tmp_path):
    folder, cities = demo_dir
    out = tmp_path / "report.html"
    unit = cities["unit"].iloc[1]
    res = CliRunner().invoke(app, [
        "report", "--out", str(out), "--framework", "social-inclusion-marker",
        "--data", str(folder / "observations.csv"), "--units", str(folder / "cities.csv"),
        "--cycle", "2024", "--city", unit])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert f'id="city-{unit}"' in html and html.count('<section class="city"') == 1
    assert f"{cities['name_en'].iloc[1]}" in html and "2024" in html


def test_it_asks_for_the_data_when_none_is_given(app, tmp_path):
    res = CliRunner().invoke(app, ["report", "--out", str(tmp_path / "r.pdf")])
    assert res.exit_code == 2 and "--framework" in res.output


def test_it_refuses_an_unknown_format(app, demo_dir, tmp_path):
    folder, _ = demo_dir
    res = CliRunner().invoke(app, [
        "report", "--out", str(tmp_path / "r.docx"), "-f", "social-inclusion-marker",
        "-d", str(folder / "observations.csv")])
    assert res.exit_code == 2 and "pdf or html" in res.output
