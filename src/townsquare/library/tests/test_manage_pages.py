"""The library's staff pages: creating and editing resources, versions with several files and
the chapters editor, publishing now or on a date, withdrawing, the review-by list and topics.
Bad input is a clear error and changes nothing; lists cost a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import override_settings
from django.utils import timezone

from townsquare.accounts.tests.factories import make_organization, make_staff, make_user
from townsquare.core.models import AuditRecord

from ..models import (
    Access,
    Chapter,
    Extraction,
    Resource,
    ResourceFile,
    ResourceStatus,
    ResourceType,
    ResourceVersion,
    Topic,
)
from .factories import docx_bytes, make_resource, make_topic, pdf_bytes, png_bytes, upload
from .support_manage import current_version, make_resources, resource_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = make_staff(display_name="Sam Staff")
    client.force_login(staff)
    client.staff = staff
    return client


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Creating and editing -------------------------------------------------------------------------


def test_staff_create_a_draft_with_authors_topics_and_a_cover(staff_client):
    organization = make_organization(name="Lakeview Hospital")
    author = make_user(display_name="Dr. Ada Lovelace")
    topic = make_topic("Patient privacy")
    data = resource_form_data(
        kind="book",
        title="The privacy handbook",
        authors=f"{author.email}\norg: Lakeview Hospital\norg: World Health Forum\nJane Doe",
        topics=[topic.pk],
        isbn="978-0-306-40615-7",
        doi="https://doi.org/10.1000/xyz123",
        cover=upload("cover.png", png_bytes(), "image/png"),
        cover_alt="A padlock over a phone",
    )
    response = staff_client.post("/library/manage/new/", data)
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert response["Location"] == f"/library/manage/{resource.pk}/versions/new/"
    assert (resource.status, resource.kind, resource.isbn, resource.doi) == (
        ResourceStatus.DRAFT,
        ResourceType.BOOK,
        "9780306406157",
        "10.1000/xyz123",
    )
    authors = list(
        resource.authors.order_by("position").values_list(
            "name", "person_id", "organization_id", "is_organization"
        )
    )
    assert authors == [
        ("Dr. Ada Lovelace", author.pk, None, False),
        ("Lakeview Hospital", None, organization.pk, True),
        ("World Health Forum", None, None, True),
        ("Jane Doe", None, None, False),
    ]
    assert list(resource.topics.all()) == [topic]
    assert str(resource.cover.name).startswith("library/covers/")
    assert resource.cover_alt == "A padlock over a phone"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"summary": ""}, "summary", "This field is required."),
        ({"isbn": "12345"}, "isbn", "Not a valid ISBN-10 or ISBN-13."),
        ({"doi": "not-a-doi"}, "doi", "Not a DOI (e.g. 10.1000/xyz123)."),
        ({"access": "organization"}, "organization", "Choose the organization it is private to."),
        (
            {"review_by": "2030-01-01"},
            "review_by",
            "Only policies and guidelines have a review-by date.",
        ),
        (
            {"authors": "nobody@nowhere.example"},
            "authors",
            "Nobody on Townsquare has the address nobody@nowhere.example; write their name "
            "instead.",
        ),
    ],
)
def test_bad_metadata_is_shown_beside_its_field_and_nothing_is_saved(
    staff_client, overrides, field, message
):
    response = staff_client.post("/library/manage/new/", resource_form_data(**overrides))
    assert response.status_code == 422
    assert response.context["form"].errors[field] == [message]
    assert not Resource.objects.exists()


def test_a_cover_needs_alt_text_and_must_be_an_image(staff_client):
    data = resource_form_data(cover=upload("cover.png", png_bytes(), "image/png"))
    response = staff_client.post("/library/manage/new/", data)
    assert response.status_code == 422
    assert response.context["form"].errors["cover_alt"] == [
        "Images need a short description (alt text)."
    ]
    data = resource_form_data(cover=upload("cover.png", b"<html>hi</html>"), cover_alt="x")
    response = staff_client.post("/library/manage/new/", data)
    assert response.status_code == 422
    assert "cover" in response.context["form"].errors
    assert not Resource.objects.exists()


def test_editing_changes_metadata_and_audits_an_access_change(staff_client):
    organization = make_organization()
    resource = make_resource(title="Old title", authors=("Ada Author",))
    page = staff_client.get(f"/library/manage/{resource.pk}/edit/")
    assert page.status_code == 200
    assert page.context["form"].initial["authors"] == "Ada Author"
    response = staff_client.post(
        f"/library/manage/{resource.pk}/edit/",
        resource_form_data(
            title="New title",
            access="organization",
            organization=organization.pk,
            is_listed=None,
            authors="Ada Author\nBob Builder",
        ),
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.title, resource.access, resource.organization_id, resource.is_listed) == (
        "New title",
        Access.ORGANIZATION,
        organization.pk,
        False,
    )
    assert list(resource.authors.values_list("name", flat=True)) == ["Ada Author", "Bob Builder"]
    record = AuditRecord.objects.filter(action="library.resource_update").get()
    assert record.data["after"] == {"access": "organization", "organization": organization.pk}


def test_a_missing_resource_is_404(staff_client):
    assert staff_client.get("/library/manage/987654/edit/").status_code == 404
    assert staff_client.get("/library/manage/987654/versions/new/").status_code == 404
    assert staff_client.post("/library/manage/987654/publish").status_code == 404


# --- Versions -------------------------------------------------------------------------------------


def test_a_version_with_several_files_in_one_submit(
    staff_client, django_capture_on_commit_callbacks
):
    resource = make_resource(body="First body")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/library/manage/{resource.pk}/versions/new/",
            {
                "change_note": "Added the handouts",
                "body": "Second body",
                "uploads": [
                    upload("handout.pdf", pdf_bytes("Quokka handout")),
                    upload("notes.docx", docx_bytes("Wombat notes")),
                    upload("poster.png", png_bytes()),
                ],
                "keep_files": "on",
            },
        )
    assert response.status_code == 302
    resource.refresh_from_db()
    version = current_version(resource)
    assert (version.number, version.change_note, version.body) == (
        2,
        "Added the handouts",
        "Second body",
    )
    files = list(version.files.order_by("position"))
    assert [(f.original_name, f.kind) for f in files] == [
        ("handout.pdf", "pdf"),
        ("notes.docx", "docx"),
        ("poster.png", "image"),
    ]
    assert [f.extraction for f in files] == [
        Extraction.DONE,
        Extraction.DONE,
        Extraction.NOT_APPLICABLE,
    ]
    assert all(str(f.file.name).startswith("library/files/") for f in files)
    assert _messages(response) == ["Saved version 2; it is now the current one."]


def test_keeping_or_dropping_the_previous_files(staff_client):
    resource = make_resource()
    staff_client.post(
        f"/library/manage/{resource.pk}/versions/new/",
        {"body": "b", "uploads": [upload("a.pdf", pdf_bytes("A"))]},
    )
    staff_client.post(
        f"/library/manage/{resource.pk}/versions/new/",
        {"body": "b", "keep_files": "on", "uploads": [upload("b.pdf", pdf_bytes("B"))]},
    )
    resource.refresh_from_db()
    assert list(current_version(resource).files.values_list("original_name", flat=True)) == [
        "a.pdf",
        "b.pdf",
    ]
    staff_client.post(f"/library/manage/{resource.pk}/versions/new/", {"body": "text only"})
    resource.refresh_from_db()
    assert current_version(resource).number == 4
    assert not current_version(resource).files.exists()
    assert ResourceVersion.objects.get(resource=resource, number=3).files.count() == 2


@override_settings(LIBRARY_MAX_FILE_BYTES=1000)
def test_a_file_over_the_limit_is_refused_and_nothing_changes(staff_client):
    resource = make_resource()
    response = staff_client.post(
        f"/library/manage/{resource.pk}/versions/new/",
        {"body": "x", "uploads": [upload("big.pdf", pdf_bytes("x" * 50) + b" " * 2000)]},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["uploads"][0].startswith("big.pdf: ")
    assert resource.versions.count() == 1
    assert not ResourceFile.objects.exists()


def test_html_saved_as_pdf_is_refused(staff_client):
    resource = make_resource()
    response = staff_client.post(
        f"/library/manage/{resource.pk}/versions/new/",
        {"uploads": [upload("policy.pdf", b"<!doctype html><html><body>hi</body></html>")]},
    )
    assert response.status_code == 422
    assert "policy.pdf: " in response.context["form"].errors["uploads"][0]
    assert resource.versions.count() == 1


def test_an_empty_version_is_refused(staff_client):
    resource = make_resource()
    response = staff_client.post(f"/library/manage/{resource.pk}/versions/new/", {"body": " "})
    assert response.status_code == 422
    assert response.context["form"].errors["body"] == [
        "Write the text, add chapters or upload a file."
    ]
    assert resource.versions.count() == 1


def _chapter_data(rows: list[dict[str, str]], *, initial: int) -> dict[str, str]:
    data = {
        "chapters-TOTAL_FORMS": str(len(rows)),
        "chapters-INITIAL_FORMS": str(initial),
        "chapters-MIN_NUM_FORMS": "0",
        "chapters-MAX_NUM_FORMS": "200",
        "body": "",
        "change_note": "Chapters",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"chapters-{index}-{key}"] = value
    return data


def test_the_chapters_editor_adds_edits_reorders_and_removes(staff_client):
    book = make_resource(
        kind=ResourceType.BOOK,
        chapters=(("Why", "Why text"), ("How", "How text"), ("Old", "Old text")),
    )
    page = staff_client.get(f"/library/manage/{book.pk}/versions/new/")
    formset = page.context["chapters"]
    assert [form.initial["title"] for form in formset.initial_forms] == ["Why", "How", "Old"]
    assert len(formset.forms) == 5  # three chapters and two empty rows
    data = _chapter_data(
        [
            {"number": "2", "title": "Why", "body": "Why text"},
            {"number": "1", "title": "How, revised", "body": "How text v2"},
            {"number": "3", "title": "Old", "body": "Old text", "remove": "on"},
            {"number": "3", "title": "New ending", "body": "The end"},
            {"number": "", "title": "", "body": ""},
        ],
        initial=3,
    )
    response = staff_client.post(f"/library/manage/{book.pk}/versions/new/", data)
    assert response.status_code == 302
    book.refresh_from_db()
    chapters = list(
        current_version(book).chapters.order_by("number").values_list("number", "title")
    )
    assert chapters == [(1, "How, revised"), (2, "Why"), (3, "New ending")]
    first = Chapter.objects.get(version=book.current_version, number=1)
    assert first.body == "How text v2"
    # The old version keeps its chapters.
    assert ResourceVersion.objects.get(resource=book, number=1).chapters.count() == 3


def test_a_chapter_without_a_title_is_refused(staff_client):
    book = make_resource(kind=ResourceType.BOOK, chapters=(("One", "x"),))
    data = _chapter_data(
        [{"number": "1", "title": "One", "body": "x"}, {"number": "2", "title": "", "body": "y"}],
        initial=1,
    )
    response = staff_client.post(f"/library/manage/{book.pk}/versions/new/", data)
    assert response.status_code == 422
    assert response.context["chapters"].forms[1].errors["title"] == ["Every chapter needs a title."]
    assert book.versions.count() == 1


def test_a_non_book_has_no_chapters_editor(staff_client):
    resource = make_resource(kind=ResourceType.WHITE_PAPER)
    assert (
        staff_client.get(f"/library/manage/{resource.pk}/versions/new/").context["chapters"] is None
    )


# --- Publishing, withdrawing ----------------------------------------------------------------------


def test_publish_now(staff_client, django_capture_on_commit_callbacks):
    resource = make_resource(status=ResourceStatus.DRAFT, title="Quokka guide")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/library/manage/{resource.pk}/publish", {"publish_at": ""})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED
    assert resource.published_at is not None
    assert _messages(response) == ["“Quokka guide” is published."]


def test_publish_on_a_date(staff_client):
    resource = make_resource(status=ResourceStatus.DRAFT)
    when = (timezone.now() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    local = when.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M")
    response = staff_client.post(f"/library/manage/{resource.pk}/publish", {"publish_at": local})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.status, resource.publish_at) == (ResourceStatus.SCHEDULED, when)
    assert _messages(response)[0].startswith(f"“{resource.title}” will be published on ")


def test_a_date_in_the_past_is_refused(staff_client):
    resource = make_resource(status=ResourceStatus.DRAFT)
    response = staff_client.post(
        f"/library/manage/{resource.pk}/publish", {"publish_at": "2001-01-01T10:00"}
    )
    assert response.status_code == 422
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.DRAFT


def test_publishing_without_a_version_says_what_is_missing(staff_client):
    staff = staff_client.staff
    from ..services.resources import ResourceFields, resource_create

    resource = resource_create(
        actor=staff, fields=ResourceFields(kind="manual", title="T", summary="S")
    )
    response = staff_client.post(f"/library/manage/{resource.pk}/publish")
    assert response.status_code == 302
    assert _messages(response) == ["Add a version (a body, chapters or a file) before publishing."]
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.DRAFT


def test_withdraw_and_publish_again(staff_client):
    resource = make_resource()
    response = staff_client.post(
        f"/library/manage/{resource.pk}/withdraw", {"reason": "Out of date"}
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.WITHDRAWN
    assert AuditRecord.objects.get(action="library.resource_withdraw").data == {"has_reason": True}
    # A withdrawn resource is not withdrawn twice.
    response = staff_client.post(f"/library/manage/{resource.pk}/withdraw")
    assert _messages(response)[-1:] == ["Only a published or scheduled resource can be withdrawn."]
    staff_client.post(f"/library/manage/{resource.pk}/publish")
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED


def test_the_edit_page_offers_publish_and_withdraw_as_they_apply(staff_client):
    draft = make_resource(status=ResourceStatus.DRAFT)
    text = staff_client.get(f"/library/manage/{draft.pk}/edit/").content.decode()
    assert f'action="/library/manage/{draft.pk}/publish"' in text
    assert f'action="/library/manage/{draft.pk}/withdraw"' not in text
    published = make_resource()
    text = staff_client.get(f"/library/manage/{published.pk}/edit/").content.decode()
    assert f'action="/library/manage/{published.pk}/withdraw"' in text
    assert f'href="/library/r/{published.slug}/"' in text


# --- The list -------------------------------------------------------------------------------------


def test_the_list_filters_by_status_type_title_and_origin(staff_client):
    draft = make_resource(title="Draft quokka", status=ResourceStatus.DRAFT)
    published = make_resource(title="Published wombat", kind=ResourceType.BOOK)
    submitted = make_resource(
        title="Member quokka", status=ResourceStatus.SUBMITTED, is_submission=True
    )

    def titles(query: str) -> list[str]:
        response = staff_client.get(f"/library/manage/?{query}")
        return sorted(resource.title for resource in response.context["page"])

    assert titles("") == sorted([draft.title, published.title, submitted.title])
    assert titles("status=draft") == [draft.title]
    assert titles("kind=book") == [published.title]
    assert titles("q=quokka") == [draft.title, submitted.title]
    assert titles("submissions=yes") == [submitted.title]
    assert titles("submissions=no") == sorted([draft.title, published.title])
    text = staff_client.get("/library/manage/").content.decode()
    assert "Submission" in text


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_query_count_is_fixed(staff_client, django_assert_num_queries, count):
    organization = make_organization()
    make_resources(count, access=Access.ORGANIZATION, organization=organization)
    staff_client.get("/library/manage/")  # warm the session
    # session, user, roles, count, page, status counts, the person's organizations (menu)
    with django_assert_num_queries(7):
        response = staff_client.get("/library/manage/")
    assert len(response.context["page"]) == count


@pytest.mark.parametrize("count", [5, 50])
def test_the_edit_page_query_count_is_fixed(staff_client, django_assert_num_queries, count):
    resource = make_resource(topics=(make_topic(), make_topic()), authors=("A", "B", "C"))
    for number in range(2, count + 1):
        version = ResourceVersion.objects.create(resource=resource, number=number, body="b")
    resource.current_version = version
    resource.save()
    staff_client.get("/library/manage/")
    # session, user, roles, resource, topics, authors, versions; form: topics, organizations;
    # the person's organizations (menu)
    with django_assert_num_queries(10):
        response = staff_client.get(f"/library/manage/{resource.pk}/edit/")
    assert len(response.context["versions"]) == count


# --- Review due, topics ---------------------------------------------------------------------------


def test_review_due_lists_overdue_and_upcoming_policies_with_their_owner(staff_client):
    today = timezone.localdate()
    organization = make_organization(name="Riverbank Clinic")
    overdue = make_resource(
        title="Old policy",
        kind=ResourceType.POLICY,
        review_by=today - datetime.timedelta(days=3),
        organization=organization,
    )
    soon = make_resource(
        title="Soon guideline",
        kind=ResourceType.GUIDELINE,
        review_by=today + datetime.timedelta(days=10),
    )
    make_resource(
        title="Later policy",
        kind=ResourceType.POLICY,
        review_by=today + datetime.timedelta(days=60),
    )
    make_resource(
        title="Withdrawn policy",
        kind=ResourceType.POLICY,
        review_by=today - datetime.timedelta(days=3),
        status=ResourceStatus.WITHDRAWN,
    )
    response = staff_client.get("/library/manage/review-due/")
    due = response.context["due"]
    assert [r.pk for r in due.overdue] == [overdue.pk]
    assert [r.pk for r in due.upcoming] == [soon.pk]
    text = response.content.decode()
    assert "Riverbank Clinic" in text
    assert "3 days" in text
    assert "10 days" in text
    assert "Later policy" not in text
    assert "Withdrawn policy" not in text


@pytest.mark.parametrize("count", [5, 50])
def test_review_due_query_count_is_fixed(staff_client, django_assert_num_queries, count):
    today = timezone.localdate()
    organization = make_organization()
    make_resources(
        count,
        kind=ResourceType.POLICY,
        review_by=today - datetime.timedelta(days=1),
        organization=organization,
    )
    staff_client.get("/library/manage/")
    # session, user, roles, the rows (with owners), the person's organizations (menu)
    with django_assert_num_queries(5):
        response = staff_client.get("/library/manage/review-due/")
    assert len(response.context["due"].overdue) == count


def test_topics_are_added_renamed_and_deleted(staff_client):
    response = staff_client.post("/library/manage/topics/", {"name": "Patient privacy"})
    assert response.status_code == 302
    topic = Topic.objects.get()
    response = staff_client.post("/library/manage/topics/", {"name": "patient privacy"})
    assert response.status_code == 422
    assert response.context["form"].errors["name"] == ["That topic exists already."]
    staff_client.post("/library/manage/topics/", {"topic": topic.pk, "name": "Privacy"})
    topic.refresh_from_db()
    assert topic.name == "Privacy"
    resource = make_resource(topics=(topic,))
    text = staff_client.get("/library/manage/topics/").content.decode()
    assert "Privacy" in text
    staff_client.post("/library/manage/topics/", {"topic": topic.pk, "delete": "1"})
    assert not Topic.objects.exists()
    assert not resource.topics.exists()
    assert (
        staff_client.post("/library/manage/topics/", {"topic": "99999", "name": "x"}).status_code
        == 404
    )


def test_a_submission_under_review_is_published_through_its_review_not_here(staff_client):
    submission = make_resource(status=ResourceStatus.SUBMITTED, is_submission=True)
    page = staff_client.get(f"/library/manage/{submission.pk}/edit/").content.decode()
    assert f'action="/library/manage/{submission.pk}/publish"' not in page
    assert f'href="/library/review/{submission.pk}/"' in page
    response = staff_client.post(f"/library/manage/{submission.pk}/publish")
    assert _messages(response) == ["This is a member's submission: decide it on its review page."]
    submission.refresh_from_db()
    assert submission.status == ResourceStatus.SUBMITTED


def test_ids_beyond_the_database_range_are_not_found(staff_client):
    huge = "9" * 30
    assert staff_client.get(f"/library/manage/{huge}/edit/").status_code == 404
    response = staff_client.post("/library/manage/topics/", {"topic": huge, "name": "x"})
    assert response.status_code == 404
