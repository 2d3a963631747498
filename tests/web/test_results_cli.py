"""``rightsmarker report`` without --framework/--data: a published cycle of the database."""

from __future__ import annotations

import typer
from results_fixtures import results_world_fixture  # noqa: F401  (the results_world fixture)
from typer.testing import CliRunner

from rightsmarker.cli.report_cmd import register


def app() -> typer.Typer:
    cli = typer.Typer()
    register(cli)

    @cli.callback()
    def _root() -> None:
        """rightsmarker"""

    return cli


def test_the_report_command_reads_the_latest_published_cycle_from_the_database(
        results_world, tmp_path):
    out = tmp_path / "report.html"
    res = CliRunner().invoke(app(), ["report", "--out", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "Aranvale" in html and "Bellmora" in html and "2024" in html


def test_the_report_command_takes_a_cycle_and_a_city_from_the_database(results_world, tmp_path):
    out = tmp_path / "report.html"
    res = CliRunner().invoke(app(), ["report", "--out", str(out), "--cycle", "2023",
                                     "--city", "bellmora"])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert 'id="city-bellmora"' in html and 'id="city-aranvale"' not in html


def test_the_report_command_names_a_missing_published_cycle(results_world, tmp_path):
    res = CliRunner().invoke(app(), ["report", "--out", str(tmp_path / "r.html"),
                                     "--cycle", "1999"])
    assert res.exit_code == 2 and "no published cycle for period 1999" in res.output
