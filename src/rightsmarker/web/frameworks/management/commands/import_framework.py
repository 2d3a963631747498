"""``manage.py import_framework PATH_OR_BUNDLED_NAME``: import a framework YAML as a new version."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from rightsmarker.framework.io import resolve_framework_path

from ...importing import ImportRefused, import_framework


class Command(BaseCommand):
    help = "Import a framework YAML file (or a bundled name) as a new framework version."

    def add_arguments(self, parser):
        parser.add_argument("source", help="path to a YAML file or a bundled framework name")

    def handle(self, *args, source: str, **options):
        try:
            path = resolve_framework_path(source)
            text = path.read_text(encoding="utf-8-sig")
        except Exception as exc:  # unknown name, missing file: one clear line
            raise CommandError(str(exc)) from None
        try:
            fv = import_framework(text, source=str(source))
        except ImportRefused as exc:
            details = "".join(f"\n  - {p}" for p in exc.problems[:50])
            raise CommandError(exc.message + details) from None
        self.stdout.write(f"imported {fv.code} version {fv.version} (sha256 {fv.sha256[:12]})")
