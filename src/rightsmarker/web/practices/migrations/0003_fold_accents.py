"""PostgreSQL search entries stored before accents were folded (``pg_search.fold_accents``):
fold their Latin-script columns so that ``Bogota`` finds ``Bogotá`` there too; the generated
``document`` follows. Nothing to do on SQLite (its FTS5 index folds accents itself)."""

import unicodedata

from django.db import migrations


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed
                                                if not unicodedata.combining(c)))


def fold_entries(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    entry = apps.get_model("practices", "SearchEntry")
    for row in entry.objects.only("pk", "english_title", "english").iterator():
        title, body = _fold(row.english_title), _fold(row.english)
        if (title, body) != (row.english_title, row.english):
            entry.objects.filter(pk=row.pk).update(english_title=title, english=body)


class Migration(migrations.Migration):

    dependencies = [
        ("practices", "0002_search_entry"),
    ]

    operations = [migrations.RunPython(fold_entries, migrations.RunPython.noop)]
