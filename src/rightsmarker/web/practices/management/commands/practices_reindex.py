"""Rebuild the practices search index (SQLite file, or PostgreSQL tables) from the published
records."""

from django.core.management.base import BaseCommand

from ...services import index_path, rebuild_index, search_backend


class Command(BaseCommand):
    help = "Rebuild the good-practice search index from the database's published practices."

    def handle(self, *args, **options):
        count = rebuild_index()
        where = "PostgreSQL" if search_backend() == "postgresql" else index_path()
        self.stdout.write(f"indexed {count} published practices in {where}")
