"""Settings read from the environment by strict parsers, and the system checks at start."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from rightsmarker.web import checks
from rightsmarker.web.env import (
    data_dir,
    env_bool,
    env_int,
    env_list,
    parse_database_url,
    secret_key,
)


def test_it_reads_a_postgres_url_into_a_database_setting():
    db = parse_database_url("postgres://me:s%40cret@db.example.org:5433/marker?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "marker", "me", "s@cret", "db.example.org", "5433")
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_it_reads_a_sqlite_url():
    assert parse_database_url("sqlite:////tmp/x.sqlite3") == {
        "ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/x.sqlite3"}


@pytest.mark.parametrize("url,words", [
    ("mysql://u@h/db", "unsupported scheme 'mysql'"),
    ("postgres://u@h:port/db", "port that is not a number"),
    ("postgres://u@h:5432/", "names no database"),
    ("localhost:5432", "unsupported scheme"),
])
def test_it_refuses_a_bad_database_url_with_a_clear_message(url, words):
    with pytest.raises(ImproperlyConfigured, match=words) as info:
        parse_database_url(url)
    assert "expected postgres://" in str(info.value)


def test_it_hides_the_password_of_a_refused_database_url():
    with pytest.raises(ImproperlyConfigured) as info:
        parse_database_url("mysql://u:topsecret@h/db")
    assert "topsecret" not in str(info.value)


@pytest.mark.parametrize("raw,value", [("1", True), ("TRUE", True), ("off", False), ("", False)])
def test_it_reads_booleans(raw, value):
    assert env_bool("X", environ={"X": raw}) is value


def test_it_refuses_a_boolean_it_does_not_know():
    with pytest.raises(ImproperlyConfigured, match="X must be one of"):
        env_bool("X", environ={"X": "maybe"})


def test_it_refuses_a_number_that_is_not_whole_or_too_small():
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("N", 1, environ={"N": "2.5"})
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("N", 1, minimum=1, environ={"N": "0"})


def test_it_reads_lists_and_refuses_empty_items():
    assert env_list("H", ["a"], environ={"H": " x.org , y.org"}) == ["x.org", "y.org"]
    assert env_list("H", ["a"], environ={}) == ["a"]
    with pytest.raises(ImproperlyConfigured, match="empty item"):
        env_list("H", [], environ={"H": "x.org,,y.org"})


def test_it_uses_the_data_dir_from_the_environment(tmp_path):
    assert data_dir({"RIGHTSMARKER_DATA_DIR": str(tmp_path / "d")}) == (tmp_path / "d").resolve()
    assert (tmp_path / "d").is_dir()


def test_it_generates_and_keeps_a_secret_key_only_when_allowed(tmp_path):
    assert secret_key(tmp_path, may_generate=False, environ={}) is None
    first = secret_key(tmp_path, may_generate=True, environ={})
    assert len(first) > 40 and secret_key(tmp_path, may_generate=True, environ={}) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert secret_key(tmp_path, False, environ={"RIGHTSMARKER_SECRET_KEY": "k" * 40}) == "k" * 40


def test_the_system_check_refuses_a_missing_secret_key(settings):
    settings.RIGHTSMARKER_SECRET_KEY_MISSING = True
    assert [e.id for e in checks.check_secret_key()] == ["rightsmarker.E001"]
    settings.RIGHTSMARKER_SECRET_KEY_MISSING = False
    assert checks.check_secret_key() == []


def test_the_system_check_refuses_a_short_secret_key(settings):
    settings.SECRET_KEY = "short"
    assert [e.id for e in checks.check_secret_key()] == ["rightsmarker.E002"]


def test_the_system_check_warns_about_debug_outside_demo(settings):
    settings.DEBUG, settings.RIGHTSMARKER_DEMO = True, False
    assert [e.id for e in checks.check_demo_with_debug()] == ["rightsmarker.W001"]


def test_django_check_fails_without_a_secret_key_outside_demo_mode(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in (
        "RIGHTSMARKER_SECRET_KEY", "DATABASE_URL")}
    env.update(RIGHTSMARKER_DATA_DIR=str(tmp_path), RIGHTSMARKER_DEMO="0",
               DJANGO_SETTINGS_MODULE="rightsmarker.web.settings")
    done = subprocess.run([sys.executable, "-m", "django", "check"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "rightsmarker.E001" in done.stderr and "RIGHTSMARKER_SECRET_KEY" in done.stderr


def test_django_check_passes_in_demo_mode_with_a_generated_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in (
        "RIGHTSMARKER_SECRET_KEY", "DATABASE_URL")}
    env.update(RIGHTSMARKER_DATA_DIR=str(tmp_path), RIGHTSMARKER_DEMO="1",
               DJANGO_SETTINGS_MODULE="rightsmarker.web.settings")
    done = subprocess.run([sys.executable, "-m", "django", "check"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "secret_key").exists()


def test_a_bad_database_url_stops_django_at_start(tmp_path):
    env = dict(os.environ, RIGHTSMARKER_DATA_DIR=str(tmp_path), DATABASE_URL="mysql://u@h/db",
               DJANGO_SETTINGS_MODULE="rightsmarker.web.settings")
    done = subprocess.run([sys.executable, "-m", "django", "check"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "DATABASE_URL has an unsupported scheme" in done.stderr


def test_secure_cookies_and_hsts_are_on_outside_demo_mode():
    from django.conf import settings

    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SECURE_HSTS_SECONDS >= 31_536_000
    assert not settings.DEBUG and settings.TIME_ZONE == "UTC"
