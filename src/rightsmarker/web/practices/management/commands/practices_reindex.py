"""Rebuild the practices search index (an SQLite file) from the published records."""

from django.core.management.base import BaseCommand

from ...services import index_path, rebuild_index


class Command(BaseCommand):
    help = "Rebuild the good-practice search index from the database's published practices."

    def handle(self, *args, **options):
        count = rebuild_index()
        self.stdout.write(f"indexed {count} published practices in {index_path()}")
