"""``townsquare library_tick``: scheduled publication and lost extraction tasks, without Celery."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from townsquare.accounts.tests.factories import make_user
from townsquare.core.search import search_ids
from townsquare.notifications.models import Notification

from ..models import (
    Extraction,
    ResourceFile,
    ResourceStatus,
    ResourceVersion,
    ReviewAction,
    ReviewEvent,
)
from ..search import RESOURCE_KIND
from .factories import make_resource, pdf_bytes

pytestmark = pytest.mark.django_db


def test_the_tick_publishes_what_is_due_and_tells_the_submitter(django_capture_on_commit_callbacks):
    member = make_user()
    due = make_resource(
        title="Due today",
        status=ResourceStatus.SCHEDULED,
        publish_at=timezone.now() - datetime.timedelta(minutes=1),
        is_submission=True,
        created_by=member,
        body="Kakapo conservation notes",
    )
    later = make_resource(
        status=ResourceStatus.SCHEDULED,
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("library_tick", stdout=out)
    assert "published on schedule: 1" in out.getvalue()
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == (ResourceStatus.PUBLISHED, ResourceStatus.SCHEDULED)
    assert search_ids(RESOURCE_KIND, "kakapo") == [due.pk]
    assert ReviewEvent.objects.filter(resource=due, action=ReviewAction.PUBLISHED).count() == 1
    assert Notification.objects.filter(recipient=member).count() == 1
    # A second run finds nothing more to do.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("library_tick", stdout=out)
    assert ReviewEvent.objects.filter(resource=due, action=ReviewAction.PUBLISHED).count() == 1


def test_the_tick_extracts_files_whose_task_was_lost():
    from django.core.files.base import ContentFile

    resource = make_resource()
    stored = ResourceFile(
        version=resource.current_version,
        original_name="lost.pdf",
        kind="pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    stored.file.save("library/files/test-lost.pdf", ContentFile(pdf_bytes("Takahe")), save=False)
    stored.save()
    ResourceVersion.objects.filter(resource=resource).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    call_command("library_tick", stdout=StringIO())
    stored.refresh_from_db()
    assert stored.extraction == Extraction.DONE
    assert "Takahe" in stored.extracted_text
