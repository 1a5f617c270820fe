"""Search documents and the full-text index beside them (see core/search.py and docs/search.md).

SQLite: an FTS5 table reading its text from core_searchdocument (external content), kept in step
by triggers. If a later migration changes core_searchdocument, SQLite may rebuild the table and
drop these triggers: such a migration must create them again (and run FTS5's 'rebuild').

PostgreSQL: a tsvector column written by core.search, a GIN index on it, and the
townsquare_english configuration: Snowball English stemming without stop words (FTS5 keeps every
word too) after unaccent, so that ts_headline highlights "José" for "jose".
"""

from django.db import migrations, models

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE core_searchdocument_fts USING fts5(
           title, keywords, body,
           content='core_searchdocument', content_rowid='id',
           tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER core_searchdocument_fts_insert AFTER INSERT ON core_searchdocument BEGIN
           INSERT INTO core_searchdocument_fts (rowid, title, keywords, body)
           VALUES (new.id, new.title, new.keywords, new.body);
       END""",
    """CREATE TRIGGER core_searchdocument_fts_delete AFTER DELETE ON core_searchdocument BEGIN
           INSERT INTO core_searchdocument_fts (core_searchdocument_fts, rowid, title, keywords, body)
           VALUES ('delete', old.id, old.title, old.keywords, old.body);
       END""",
    """CREATE TRIGGER core_searchdocument_fts_update
       AFTER UPDATE OF title, keywords, body ON core_searchdocument BEGIN
           INSERT INTO core_searchdocument_fts (core_searchdocument_fts, rowid, title, keywords, body)
           VALUES ('delete', old.id, old.title, old.keywords, old.body);
           INSERT INTO core_searchdocument_fts (rowid, title, keywords, body)
           VALUES (new.id, new.title, new.keywords, new.body);
       END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_searchdocument_fts_update",
    "DROP TRIGGER IF EXISTS core_searchdocument_fts_delete",
    "DROP TRIGGER IF EXISTS core_searchdocument_fts_insert",
    "DROP TABLE IF EXISTS core_searchdocument_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """CREATE TEXT SEARCH DICTIONARY townsquare_english_stem (
           TEMPLATE = snowball, Language = english)""",
    "CREATE TEXT SEARCH CONFIGURATION townsquare_english (COPY = pg_catalog.english)",
    """ALTER TEXT SEARCH CONFIGURATION townsquare_english
           ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
           WITH unaccent, townsquare_english_stem""",
    "ALTER TABLE core_searchdocument ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''",
    """CREATE INDEX core_searchdocument_vector ON core_searchdocument
           USING gin (search_vector)""",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS core_searchdocument_vector",
    "ALTER TABLE core_searchdocument DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS townsquare_english",
    "DROP TEXT SEARCH DICTIONARY IF EXISTS townsquare_english_stem",
]


def full_text_forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = POSTGRES_FORWARD if vendor == "postgresql" else SQLITE_FORWARD
    for statement in statements:
        schema_editor.execute(statement)


def full_text_backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = POSTGRES_BACKWARD if vendor == "postgresql" else SQLITE_BACKWARD
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_append_only"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=40)),
                ("object_id", models.BigIntegerField()),
                ("title", models.TextField()),
                ("keywords", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                ("indexed_at", models.DateTimeField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id"), name="core_searchdocument_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(full_text_forward, full_text_backward),
    ]
