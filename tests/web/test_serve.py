"""``rightsmarker serve``: checks, migrations, static files and seeding before the server starts."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from rightsmarker.cli import web_cmd
from rightsmarker.web import server


@pytest.fixture
def app(monkeypatch):
    monkeypatch.setenv("RIGHTSMARKER_DEMO", "0")  # restored after the test
    calls = []
    monkeypatch.setattr(server, "serve", lambda **kw: calls.append(kw))
    app = typer.Typer()
    app.callback()(lambda: None)
    web_cmd.register(app)
    app.calls = calls
    return app


@pytest.mark.django_db
def test_serve_demo_prepares_seeds_and_prints_the_accounts_then_serves(app, settings):
    result = CliRunner().invoke(app, ["serve", "--demo", "--port", "8123", "--threads", "2"])
    assert result.exit_code == 0, result.output
    assert "admin-demo" in result.output and "editor-" in result.output
    assert app.calls == [{"host": "127.0.0.1", "port": 8123, "threads": 2}]
    assert (settings.STATIC_ROOT / "rightsmarker" / "htmx-2.0.11.min.js").exists()


@pytest.mark.django_db
def test_serve_without_demo_seeds_nothing(app):
    from rightsmarker.web.network.models import City

    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert City.objects.count() == 0 and app.calls[0]["host"] == "0.0.0.0"


@pytest.mark.django_db
def test_serve_refuses_to_start_when_a_system_check_fails(app, settings):
    settings.RIGHTSMARKER_SECRET_KEY_MISSING = True
    with pytest.raises(server.ServerError, match="RIGHTSMARKER_SECRET_KEY"):
        server.prepare()
    assert app.calls == []
