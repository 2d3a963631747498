"""Strict parsers for settings read from the environment.

Every parser raises :class:`django.core.exceptions.ImproperlyConfigured` with a message that
names the variable, the value received and the expected form, so a bad deployment fails at start
with one clear line instead of misbehaving later.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}

ENGINES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "sqlite": "django.db.backends.sqlite3",
}


def env_bool(name: str, default: bool = False, environ=None) -> bool:
    """``1/true/yes/on`` or ``0/false/no/off`` (any case); anything else is refused."""
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None:
        return default
    text = raw.strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int, minimum: int = 0, environ=None) -> int:
    """A whole number not below ``minimum``."""
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    return value


def env_list(name: str, default: list[str], environ=None) -> list[str]:
    """A comma-separated list; blanks around items are dropped, empty items refused."""
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name} has an empty item (two commas in a row?): {raw!r}")
    return items


def parse_database_url(url: str) -> dict:
    """``postgres://user:password@host:port/name?opt=v`` or ``sqlite:///path`` as a DATABASES entry.

    Only PostgreSQL and SQLite are supported; anything else is refused with the expected forms.
    """
    expected = "expected postgres://USER:PASSWORD@HOST:PORT/NAME or sqlite:////absolute/path"
    parts = urlsplit(url.strip())
    engine = ENGINES.get(parts.scheme.lower())
    if engine is None:
        raise ImproperlyConfigured(
            f"DATABASE_URL has an unsupported scheme {parts.scheme!r} in {_redact(url)!r}; "
            f"{expected}")
    name = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
    if not name:
        raise ImproperlyConfigured(f"DATABASE_URL names no database: {_redact(url)!r}; {expected}")
    if engine.endswith("sqlite3"):
        return {"ENGINE": engine, "NAME": name}
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(
            f"DATABASE_URL has a port that is not a number: {_redact(url)!r}; {expected}") from None
    if "/" in name:
        raise ImproperlyConfigured(f"DATABASE_URL database name contains '/': {name!r}; {expected}")
    return {
        "ENGINE": engine,
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "OPTIONS": dict(parse_qsl(parts.query)),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def data_dir(environ=None) -> Path:
    """``RIGHTSMARKER_DATA_DIR`` or the per-user data folder (created if missing)."""
    environ = os.environ if environ is None else environ
    raw = environ.get("RIGHTSMARKER_DATA_DIR", "").strip()
    if raw:
        path = Path(raw).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("rightsmarker", appauthor=False))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"RIGHTSMARKER_DATA_DIR {str(path)!r} cannot be created: {exc.strerror}") from None
    return path.resolve()


def secret_key(directory: Path, may_generate: bool, environ=None) -> str | None:
    """``RIGHTSMARKER_SECRET_KEY``; in demo or debug mode one generated once into the data dir.

    Returns None when no key is set and none may be generated (a system check then refuses to
    start the server).
    """
    environ = os.environ if environ is None else environ
    raw = environ.get("RIGHTSMARKER_SECRET_KEY", "").strip()
    if raw:
        return raw
    if not may_generate:
        return None
    path = directory / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(50)
    path.write_text(key + "\n", encoding="ascii")
    path.chmod(0o600)
    return key
