"""PostgreSQL: a GIN index over one resource in sixteen (``object_id % 16 = 0``).

A GIN index hands back every match of a word before PostgreSQL ranks any: for a word found in
nearly every resource ("patient" in 98,000 of 100,000) that is 9 ms of a 14 ms search, before
500 candidates are taken. The library's search looks for those candidates in this sample first
(``core.search.search_ids(sample=16)``), a sixteenth of the matches, and searches the whole index
only when the sample holds too few (rare words). ``selectors.search.RESOURCE_SAMPLE`` must stay
equal to the modulus here; a test holds them together. SQLite's FTS5 needs none of this.
"""

from django.db import migrations

NAME = "library_search_resource_sample"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # As 0002's indexes: no pending list (the library is written seldom, searched often).
    # "%%" is "%": the statement goes through the driver's placeholders.
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON core_searchdocument USING gin (search_vector) "
        "WITH (fastupdate = off) WHERE kind = 'library.resource' AND object_id %% 16 = 0"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search_kind_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]
