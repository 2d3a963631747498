"""Django settings of the rightsmarker web platform, read from the environment.

Environment variables (all optional except the secret key outside demo / debug mode):

- ``RIGHTSMARKER_DATA_DIR``: database (SQLite), uploads, static files, generated secret key.
  Default: the per-user data folder (``~/.local/share/rightsmarker`` on Linux).
- ``DATABASE_URL``: ``postgres://user:password@host:5432/name``; default SQLite in the data dir.
- ``RIGHTSMARKER_SECRET_KEY``: required outside demo / debug mode (a system check refuses to start).
- ``RIGHTSMARKER_DEMO`` (0/1): demo mode, a banner on every page, relaxed cookie security.
- ``RIGHTSMARKER_DEBUG`` (0/1, default 0), ``RIGHTSMARKER_ALLOWED_HOSTS`` (comma list),
  ``RIGHTSMARKER_CSRF_TRUSTED_ORIGINS`` (comma list), ``RIGHTSMARKER_SECURE_COOKIES`` (default on
  outside demo / debug), ``RIGHTSMARKER_BEHIND_TLS_PROXY`` (trust ``X-Forwarded-Proto``),
  ``RIGHTSMARKER_SSL_REDIRECT``, ``RIGHTSMARKER_MAX_UPLOAD_MB`` (default 20).
"""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .env import data_dir, env_bool, env_int, env_list, parse_database_url, secret_key

WEB_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

RIGHTSMARKER_DEMO = env_bool("RIGHTSMARKER_DEMO")
DEBUG = env_bool("RIGHTSMARKER_DEBUG")
_key = secret_key(DATA_DIR, may_generate=RIGHTSMARKER_DEMO or DEBUG)
RIGHTSMARKER_SECRET_KEY_MISSING = _key is None
# A placeholder that is never valid for serving: the system check rightsmarker.E001 refuses it.
SECRET_KEY = _key or "rightsmarker-missing-secret-key-set-RIGHTSMARKER_SECRET_KEY"

ALLOWED_HOSTS = env_list("RIGHTSMARKER_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("RIGHTSMARKER_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rightsmarker.web.apps.WebConfig",
    "rightsmarker.web.accounts",
    "rightsmarker.web.network",
    "rightsmarker.web.frameworks",
    "rightsmarker.web.reporting",
]
# Apps built on this foundation join when present (each a package with apps.py and urls.py;
# urls.EXTENSION_PREFIXES gives their URL prefix): no edit of this file needed to add one.
EXTENSION_APPS = [name for name in ("entry", "api", "exports", "results", "practices", "groups")
                  if find_spec(f"rightsmarker.web.{name}") is not None
                  and (WEB_DIR / name / "apps.py").exists()]
INSTALLED_APPS += [f"rightsmarker.web.{name}" for name in EXTENSION_APPS]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "rightsmarker.web.middleware.AuditActorMiddleware",
]

ROOT_URLCONF = "rightsmarker.web.urls"
WSGI_APPLICATION = "rightsmarker.web.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [WEB_DIR / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "rightsmarker.web.middleware.site_context",
    ]},
}]

_database_url = os.environ.get("DATABASE_URL", "").strip()
DATABASES = {"default": parse_database_url(_database_url) if _database_url else {
    "ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "rightsmarker.sqlite3"}}
# Connections kept by each server thread for a minute (checked before reuse). SQLite shared by
# several worker processes: write-ahead log (readers never wait for the writer), writers queue up
# to 20 s for the lock, and a transaction takes it at its start (no deadlock on upgrade).
DATABASES["default"].update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE", timeout=20,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Shared by every server process (files in the data folder). What is cached is keyed by the
# versions of the data it shows (entry/versions.py), so an edit never meets a stale entry.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                      "LOCATION": DATA_DIR / "cache", "TIMEOUT": 3600,
                      "OPTIONS": {"MAX_ENTRIES": 2000}}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/uploads/"  # never served publicly: evidence files go through an access-checked view
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads: request bodies and files kept in memory up to 5 MB; evidence files up to the limit.
RIGHTSMARKER_MAX_UPLOAD_MB = env_int("RIGHTSMARKER_MAX_UPLOAD_MB", 20, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
RIGHTSMARKER_EVIDENCE_TYPES = [".pdf", ".png", ".jpg", ".jpeg", ".txt", ".csv", ".xlsx", ".docx",
                               ".odt", ".ods"]

# Security: secure cookies and HSTS outside demo / debug mode (serve behind TLS in production).
_secure = env_bool("RIGHTSMARKER_SECURE_COOKIES", not (RIGHTSMARKER_DEMO or DEBUG))
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = 31_536_000 if _secure else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _secure
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("RIGHTSMARKER_SSL_REDIRECT")
if env_bool("RIGHTSMARKER_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.request": {"level": "ERROR"}},  # no traceback for every 403 / 404
}
