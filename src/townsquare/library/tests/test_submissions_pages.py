"""The submitter's pages: the form (with files), their list, a submission's page with its
timeline and next step, editing and resending, withdrawing, the files."""

from __future__ import annotations

import pytest
from django.test import Client

from townsquare.accounts.tests.factories import make_user

from ..models import Resource, ResourceStatus, ResourceVersion, ReviewAction, ReviewEvent
from .factories import pdf_bytes, upload
from .support_submissions import a_pdf, ask_for_changes, current, scene, submit

pytestmark = pytest.mark.django_db


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _form(**overrides):
    data = {
        "kind": "policy",
        "title": "Our social-media policy",
        "summary": "How our clinicians post.",
        "authors": "Sam Submitter",
        "corporate_authors": "Riverside Health",
        "audience": "everyone",
        "language": "en",
        "license": "cc-by-4.0",
        "access": "member",
        "is_listed": "on",
        "body": "",
    }
    data.update(overrides)
    return data


def test_the_form_shows_with_labels_and_the_submitters_name():
    world = scene()
    response = client_for(world.submitter).get("/library/submissions/new/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_title">Title <span aria-hidden="true">*</span></label>' in html
    assert 'enctype="multipart/form-data"' in html
    assert "Sam Submitter</textarea>" in html
    assert "Riverside Health</option>" in html


def test_a_member_submits_with_a_pdf_and_lands_on_its_page():
    world = scene()
    client = client_for(world.submitter)
    response = client.post(
        "/library/submissions/new/",
        {
            **_form(organization=world.organization.pk, access="organization"),
            "documents": [upload("policy.pdf", pdf_bytes("Our policy"))],
        },
    )
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/library/submissions/{resource.pk}/"
    assert resource.status == ResourceStatus.SUBMITTED
    assert resource.access == "organization"
    assert [a.name for a in resource.authors.all()] == ["Sam Submitter", "Riverside Health"]
    assert [a.is_organization for a in resource.authors.all()] == [False, True]

    page = client.get(response["Location"]).content.decode()
    assert "Status: Submitted for review." in page
    assert "Waiting for the library team to review it." in page
    assert "Download policy.pdf" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"body": ""}, "Add the text or upload at least one file."),
        ({"access": "organization", "body": "Text"}, "Choose the organization it is private to."),
        ({"kind": "", "body": "Text"}, "This field is required."),
        ({"isbn": "12345", "body": "Text"}, "Not a valid ISBN-10 or ISBN-13."),
    ],
)
def test_missing_fields_are_clear_errors_and_nothing_is_saved(overrides, message):
    world = scene()
    response = client_for(world.submitter).post("/library/submissions/new/", _form(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Resource.objects.count() == 0


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_saved():
    world = scene()
    response = client_for(world.submitter).post(
        "/library/submissions/new/",
        {**_form(), "documents": [upload("policy.pdf", b"<html>evil</html>")]},
    )
    assert response.status_code == 422
    assert "The content of “policy.pdf” is not a .pdf file" in response.content.decode()
    assert Resource.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.LIBRARY_MAX_FILE_BYTES = 100
    world = scene()
    response = client_for(world.submitter).post(
        "/library/submissions/new/",
        {**_form(), "documents": [upload("policy.pdf", pdf_bytes("x" * 50))]},
    )
    assert response.status_code == 422
    assert "the limit is 0 KB" in response.content.decode()
    assert Resource.objects.count() == 0


def test_patients_may_not_open_the_form():
    patient = make_user(roles=("patient",), profession="patient_or_caregiver")
    assert client_for(patient).get("/library/submissions/new/").status_code == 403


def test_the_submitter_sees_the_request_edits_and_resubmits():
    world = scene()
    resource = submit(world.submitter, files=(a_pdf(),))
    ask_for_changes(world.reviewer, resource, comment="Add who to contact.")
    client = client_for(world.submitter)

    page = client.get(f"/library/submissions/{resource.pk}/").content.decode()
    assert "Status: Changes requested." in page
    assert "Add who to contact." in page
    assert "by the library team" in page  # reviewers are not named to the submitter
    assert "Edit the submission" in page

    form = client.get(f"/library/submissions/{resource.pk}/edit/").content.decode()
    assert "Riverside social-media policy" in form
    response = client.post(
        f"/library/submissions/{resource.pk}/edit/",
        {
            **_form(title="Riverside social-media policy", body="Contacts: comms office."),
            "change_note": "Added the contacts",
            "keep_files": "on",
        },
    )
    assert response.status_code == 302
    version = ResourceVersion.objects.get(resource=resource, number=2)
    assert version.body == "Contacts: comms office."
    assert [f.original_name for f in version.files.all()] == ["policy.pdf"]

    response = client.post(
        f"/library/submissions/{resource.pk}/resubmit", {"comment": "Done, thank you."}
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.SUBMITTED
    assert ReviewEvent.objects.order_by("-pk")[0].action == ReviewAction.RESUBMITTED


def test_editing_is_refused_while_under_review():
    world = scene()
    resource = submit(world.submitter)
    client = client_for(world.submitter)
    assert client.get(f"/library/submissions/{resource.pk}/edit/").status_code == 403


def test_withdrawing_from_the_page():
    world = scene()
    resource = submit(world.submitter)
    response = client_for(world.submitter).post(
        f"/library/submissions/{resource.pk}/withdraw", {"reason": "Wrong file"}
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.WITHDRAWN


def test_resubmitting_when_not_asked_says_so():
    world = scene()
    resource = submit(world.submitter)
    client = client_for(world.submitter)
    response = client.post(f"/library/submissions/{resource.pk}/resubmit", {}, follow=True)
    assert "This submission is not waiting for changes." in response.content.decode()


def test_others_get_a_404_for_someone_elses_submission_and_its_files():
    world = scene()
    resource = submit(world.submitter, files=(a_pdf(),))
    stored = current(resource).files.get()
    stranger = client_for(make_user())
    assert stranger.get(f"/library/submissions/{resource.pk}/").status_code == 404
    url = f"/library/submissions/{resource.pk}/files/{stored.pk}/download"
    assert stranger.get(url).status_code == 404
    response = client_for(world.reviewer).get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="policy.pdf"'
    assert response.getvalue().startswith(b"%PDF")
    response.close()


def test_my_submissions_lists_each_with_its_status_in_words():
    world = scene()
    submit(world.submitter, title="Waiting one")
    changed = submit(world.submitter, title="Changed one")
    ask_for_changes(world.reviewer, changed)
    html = client_for(world.submitter).get("/library/submissions/").content.decode()
    assert "Waiting one" in html
    assert "Submitted for review" in html
    assert "Changes requested" in html
    other = client_for(make_user()).get("/library/submissions/").content.decode()
    assert "Waiting one" not in other
    assert "You have not shared any resources yet." in other


@pytest.mark.parametrize("count", [5, 50])
def test_my_submissions_queries_are_pinned(count, django_assert_num_queries):
    world = scene()
    for index in range(count):
        submit(world.submitter, title=f"Submission {index}", organization_id=world.organization.pk)
    client = client_for(world.submitter)
    client.get("/library/submissions/")
    # session, user, roles and memberships (navigation), the count, the page of submissions
    with django_assert_num_queries(6):
        response = client.get("/library/submissions/")
    assert response.content.decode().count("/library/submissions/") >= min(count, 25)


@pytest.mark.parametrize("count", [5, 50])
def test_a_submissions_page_queries_are_pinned(count, django_assert_num_queries):
    world = scene()
    resource = submit(world.submitter, files=tuple(a_pdf(f"part{n}.pdf") for n in range(3)))
    for index in range(count):
        from ..services import review as services

        services.review_comment(
            actor=world.reviewer if index % 2 else world.submitter,
            resource=resource,
            comment=f"Comment {index}",
        )
    client = client_for(world.submitter)
    client.get(f"/library/submissions/{resource.pk}/")
    # session, user, roles, memberships (navigation), the submission (with its version and
    # organization), its topics, authors and files, the timeline (with actors and versions)
    with django_assert_num_queries(9):
        response = client.get(f"/library/submissions/{resource.pk}/")
    assert response.content.decode().count("Comment ") >= count
