"""Library background work: text extraction after an upload, and scheduled publishing."""

from __future__ import annotations

from celery import shared_task

from .services import extraction, resources


@shared_task(name="library.extract_file_text", ignore_result=True)
def extract_file_text(file_id: int) -> str:
    """Extract the searchable text of one uploaded file; safe to run twice."""
    return extraction.file_extract(file_id=file_id)


@shared_task(name="library.publish_scheduled", ignore_result=True)
def publish_scheduled() -> int:
    """Publish approved resources whose date has come."""
    return resources.scheduled_publish_due()
