"""PostgreSQL search entries stored before the body held the labels of the practice's tags
(``search.tag_labels``: ``Migrants`` / ``이주민`` for the group ``migrants``): index their body
again from the stored record; the generated ``document`` follows. Nothing to do on SQLite (its
index file is indexed again when opened, ``sqlite_backend.INDEX_VERSION``)."""

from django.db import migrations


def index_labels(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from rightsmarker.practices.model import Practice
    from rightsmarker.practices.search import document_text
    from rightsmarker.web.practices.pg_search import split_text

    entry = apps.get_model("practices", "SearchEntry")
    for row in entry.objects.only("pk", "data", "english", "korean").iterator():
        english, korean = split_text(document_text(Practice.model_validate(row.data))[1])
        if (english, korean) != (row.english, row.korean):
            entry.objects.filter(pk=row.pk).update(english=english, korean=korean)


class Migration(migrations.Migration):

    dependencies = [
        ("practices", "0003_fold_accents"),
    ]

    operations = [migrations.RunPython(index_labels, migrations.RunPython.noop)]
