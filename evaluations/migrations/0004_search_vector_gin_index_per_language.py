"""One partial GIN index of the search's vectors per language (PostgreSQL only), in place of
the one over all languages: each language's part of a search (``language = L AND vector @@
query``) scans its own index, without ANDing a second index for the language."""

from django.db import migrations

LANGUAGES = ("en", "fr", "es")
WHOLE = "evaluations_searchdocument_vector_gin"


def _partial(code):
    return f"evaluations_searchdocument_vector_{code}_gin"


def per_language(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for code in LANGUAGES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {_partial(code)} ON evaluations_searchdocument "
            f"USING gin (vector) WHERE language = '{code}'"
        )
    schema_editor.execute(f"DROP INDEX IF EXISTS {WHOLE}")


def whole(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {WHOLE} ON evaluations_searchdocument USING gin (vector)"
    )
    for code in LANGUAGES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {_partial(code)}")


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0003_evaluations_of_projects")]

    operations = [migrations.RunPython(per_language, whole)]
