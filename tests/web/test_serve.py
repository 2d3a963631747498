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
    result = CliRunner().invoke(app, ["serve", "--demo", "--port", "8123", "--threads", "2",
                                      "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "admin-demo" in result.output and "editor-" in result.output
    assert app.calls == [{"host": "127.0.0.1", "port": 8123, "threads": 2, "workers": 1}]
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


@pytest.mark.django_db
def test_serve_starts_one_worker_process_per_cpu_unless_told(app, monkeypatch):
    monkeypatch.setattr(server, "default_workers", lambda: 3)
    monkeypatch.setattr(server, "gunicorn_available", lambda: True)
    assert CliRunner().invoke(app, ["serve"]).exit_code == 0
    assert CliRunner().invoke(app, ["serve", "--workers", "2"]).exit_code == 0
    assert [c["workers"] for c in app.calls] == [3, 2]


@pytest.mark.django_db
def test_serve_falls_back_to_one_waitress_process_without_gunicorn(app, monkeypatch):
    monkeypatch.setattr(server, "gunicorn_available", lambda: False)
    result = CliRunner().invoke(app, ["serve", "--workers", "4"])
    assert result.exit_code == 0 and "gunicorn is not available" in result.output
    assert app.calls[0]["workers"] == 1


def test_gunicorn_runs_threaded_workers_on_the_app_loaded_before_forking():
    options = server.gunicorn_options("0.0.0.0", 8000, threads=4, workers=3)
    assert options["bind"] == ["0.0.0.0:8000"] and options["workers"] == 3
    assert options["threads"] == 4 and options["worker_class"] == "gthread"
    assert options["preload_app"] is True and options["forwarded_allow_ips"] == ""
    assert server.gunicorn_options("::1", 80, 1, 2)["bind"] == ["[::1]:80"]


@pytest.mark.django_db
def test_demo_practices_are_seeded_before_the_workers_start(monkeypatch, settings):
    if "rightsmarker.web.practices" not in settings.INSTALLED_APPS:
        pytest.skip("the practices app is not installed")
    from rightsmarker.web.practices import seed

    calls = []
    monkeypatch.setattr(seed, "seed_on_first_request", lambda: calls.append(1))
    monkeypatch.setattr("rightsmarker.web.seed.seed_demo", lambda: None)
    server.prepare(demo=True)
    assert calls == [1]
