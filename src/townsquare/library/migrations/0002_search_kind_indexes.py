"""PostgreSQL: a GIN index over each of the library's document kinds (resources, their listings,
chapters).

The shared index (core_searchdocument_vector) holds every kind. For a word found in nearly every
resource ("patient", "policy") it hands back the matches of all kinds, which PostgreSQL then
intersects with the kind (a second bitmap of 100,000 rows): 25-40 ms at 100,000 resources. An
index of one kind gives that kind's matches alone (15-19 ms; for chapters, 20,000 documents
beside 200,000 others, 19 ms to 2). SQLite's FTS5 table has no such
thing; nothing changes there. docs/search.md ("Performance") has the figures.
"""

from django.db import migrations

INDEXES = {
    "library_search_resource_vector": "library.resource",
    "library_search_listing_vector": "library.listing",
    "library_search_chapter_vector": "library.chapter",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, kind in INDEXES.items():
        # DDL takes no parameters; the names and kinds are the constants above. The library is
        # written seldom and searched often: no pending list (fastupdate) for every search to
        # read through; each write updates the index at once.
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON core_searchdocument "
            f"USING gin (search_vector) WITH (fastupdate = off) WHERE kind = '{kind}'"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
        ("core", "0003_search"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
