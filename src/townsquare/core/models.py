from __future__ import annotations

from django.db import models

# The largest primary key a BigAutoField holds on both engines: bigger numbers from outside (API
# filters, path ids) would overflow SQLite's INTEGER, so schemas cap ids with it.
MAX_OBJECT_ID = 2**63 - 1


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditRecord(models.Model):
    """One entry of the append-only, hash-chained audit log.

    ``actor_id`` and ``target_*`` are plain values, not foreign keys: the log outlives what it
    describes, and deleting a person must not rewrite history. The database refuses UPDATE and
    DELETE on this table (triggers in migration 0002).
    """

    created_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    record_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["actor_id", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.target_type}:{self.target_id}"


class SearchDocument(models.Model):
    """One searchable object (a person, a resource, a post) as ``core.search`` indexes it.

    Written only through ``core.search``: the full-text index beside this table (an FTS5 table
    kept in step by triggers on SQLite, the ``search_vector`` column on PostgreSQL, both from
    migration 0003) must change with it.
    """

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    title = models.TextField()
    keywords = models.TextField(blank=True)
    body = models.TextField(blank=True)
    indexed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="core_searchdocument_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
