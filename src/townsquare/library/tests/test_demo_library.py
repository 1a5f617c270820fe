"""The hand-written Library demo: every type and access level, real files whose text is
searchable, a book with chapters, collections, one submission in review, one access request;
idempotent."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from townsquare.core.search import search_ids

from .. import demo
from ..models import (
    Access,
    AccessRequest,
    AccessRequestStatus,
    Collection,
    Extraction,
    PolicyClause,
    Resource,
    ResourceFile,
    ResourceStatus,
    ResourceType,
    ReviewEvent,
)
from ..search import CHAPTER_KIND, RESOURCE_KIND
from ..selectors.manage import review_due
from .support_manage import current_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.load_small() is True
    return Resource.objects.all()


def test_the_demo_loads_once(loaded):
    count = Resource.objects.count()
    assert count == len(demo.RESOURCES) + 2  # the model policy and the member's submission
    assert demo.load_small() is False
    assert Resource.objects.count() == count


def test_every_type_and_access_level_is_there(loaded):
    assert set(loaded.values_list("kind", flat=True)) == set(ResourceType.values)
    assert set(loaded.values_list("access", flat=True)) == set(Access.values)
    statuses = set(loaded.values_list("status", flat=True))
    assert {
        ResourceStatus.PUBLISHED,
        ResourceStatus.DRAFT,
        ResourceStatus.SCHEDULED,
        ResourceStatus.WITHDRAWN,
        ResourceStatus.SUBMITTED,
    } <= statuses
    assert loaded.filter(is_listed=False, access=Access.ORGANIZATION).count() == 1


def test_files_are_real_documents_whose_text_is_searchable(loaded):
    files = ResourceFile.objects.filter(version__resource__current_version_id=F("version_id"))
    kinds = set(files.values_list("kind", flat=True))
    assert kinds == {"pdf", "docx"}
    assert files.exclude(extraction=Extraction.DONE).count() == 0
    privacy = Resource.objects.get(slug="patient-privacy-and-social-media")
    # "multiplies" is only in the PDF's text, not in the title, summary or body.
    assert search_ids(RESOURCE_KIND, "multiplies") == [privacy.pk]
    calendar = Resource.objects.get(slug="content-calendar-template")
    assert calendar.pk in search_ids(RESOURCE_KIND, "approver")


def test_the_book_has_chapters_and_they_are_searchable(loaded):
    book = Resource.objects.get(slug=demo.BOOK_SLUG)
    chapters = list(current_version(book).chapters.order_by("number"))
    assert [chapter.title for chapter in chapters] == [title for title, _ in demo.BOOK_CHAPTERS]
    assert chapters[4].pk in search_ids(CHAPTER_KIND, "captions")
    assert book.isbn == "9780306406157"


def test_the_model_policy_has_two_versions(loaded):
    policy = Resource.objects.get(slug=demo.MODEL_POLICY_SLUG)
    assert list(policy.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert current_version(policy).number == 2
    assert current_version(policy).files.count() == 1


def test_collections_a_published_toolkit_and_an_unpublished_draft(loaded):
    toolkit = Collection.objects.get(slug=demo.STARTER_TOOLKIT_SLUG)
    assert toolkit.is_toolkit
    assert toolkit.is_published
    assert list(toolkit.items.order_by("position").values_list("position", flat=True)) == [
        0,
        1,
        2,
        3,
        4,
    ]
    assert Collection.objects.filter(is_published=False).count() == 1


def test_one_submission_waits_for_review_and_one_access_request_for_a_decision(loaded):
    submission = Resource.objects.get(is_submission=True)
    assert submission.status == ResourceStatus.SUBMITTED
    assert submission.created_by is not None
    assert submission.created_by.email == demo.PHYSICIAN
    assert list(
        ReviewEvent.objects.filter(resource=submission).values_list("action", flat=True)
    ) == ["submitted"]
    request = AccessRequest.objects.get()
    assert request.status == AccessRequestStatus.PENDING
    assert request.resource.slug == demo.RIVERSIDE_POLICY_SLUG
    assert request.requester.email == demo.COACH


def test_the_review_due_page_has_overdue_and_upcoming_rows(loaded):
    due = review_due()
    assert {resource.slug for resource in due.overdue} == {
        demo.MODEL_POLICY_SLUG,
        "guidelines-for-clinicians-on-personal-accounts",
        "riverside-employee-advocacy-guidelines",
    }
    assert [resource.slug for resource in due.upcoming] == [demo.RIVERSIDE_POLICY_SLUG]


def test_publication_dates_are_spread_over_the_past(loaded):
    published = Resource.objects.filter(status=ResourceStatus.PUBLISHED)
    oldest = min(date for date in published.values_list("published_at", flat=True) if date)
    assert oldest < timezone.now() - datetime.timedelta(days=300)


def test_the_policy_builder_clauses_are_loaded(loaded):
    assert PolicyClause.objects.count() >= 8


def test_the_demo_pages_open(loaded, client):
    from townsquare.accounts.models import User

    reading = client.get(f"/library/collections/{demo.PRIVACY_COLLECTION_SLUG}/")
    assert [shown.can_open for shown in reading.context["items"]] == [True, True, False, False]
    client.force_login(User.objects.get(email=demo.STAFF))
    for path in (
        "/library/manage/",
        "/library/manage/review-due/",
        "/library/manage/topics/",
        "/library/collections/",
        f"/library/collections/{demo.STARTER_TOOLKIT_SLUG}/edit/",
        f"/library/manage/{Resource.objects.get(slug=demo.BOOK_SLUG).pk}/versions/new/",
    ):
        assert client.get(path).status_code == 200, path
