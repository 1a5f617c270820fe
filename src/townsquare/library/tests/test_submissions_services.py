"""The submitter's side: create, draft and send, edit when changes are asked for, resubmit,
withdraw; every refusal leaves nothing behind."""

from __future__ import annotations

import pytest

from townsquare.accounts.models import Role
from townsquare.accounts.tests.factories import make_organization, make_user
from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord
from townsquare.notifications.models import Notification

from ..models import (
    Access,
    Resource,
    ResourceFile,
    ResourceStatus,
    ResourceVersion,
    ReviewAction,
    ReviewEvent,
)
from ..services import review as services
from ..services.resources import file_validate
from .factories import upload
from .support_submissions import a_pdf, ask_for_changes, current, fields, scene, submit

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    return (
        Resource.objects.count(),
        ResourceVersion.objects.count(),
        ResourceFile.objects.count(),
        ReviewEvent.objects.count(),
    )


def test_a_member_submits_a_policy_with_a_pdf_and_the_reviewers_are_told():
    world = scene()
    resource = submit(
        world.submitter,
        files=(a_pdf(),),
        access=Access.ORGANIZATION,
        organization_id=world.organization.pk,
    )

    resource.refresh_from_db()
    assert resource.status == ResourceStatus.SUBMITTED
    assert resource.is_submission is True
    assert resource.created_by == world.submitter
    assert resource.organization == world.organization
    assert current(resource).number == 1
    assert [f.original_name for f in current(resource).files.all()] == ["policy.pdf"]
    assert list(ReviewEvent.objects.values_list("action", "actor_id", "version_id")) == [
        (ReviewAction.SUBMITTED, world.submitter.pk, resource.current_version_id)
    ]
    assert AuditRecord.objects.filter(
        action="library.submission_submit", target_id=str(resource.pk)
    ).exists()
    [note] = Notification.objects.filter(recipient=world.reviewer)
    assert note.url == f"/library/review/{resource.pk}/"
    assert note.summary == ("submitted “Riverside social-media policy” to the library for review")
    assert "Be kind" not in note.summary


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"summary": ""}, "summary"),
        ({"kind": "novel"}, "kind"),
        ({"access": Access.ORGANIZATION}, "organization"),
        ({"isbn": "123"}, "isbn"),
    ],
)
def test_missing_or_wrong_fields_are_refused_and_nothing_is_saved(overrides, field):
    world = scene()
    before = _counts()
    with pytest.raises(ValidationFailed) as refused:
        submit(world.submitter, **overrides)
    assert field in refused.value.field_errors
    assert _counts() == before


def test_a_submission_needs_text_or_a_file():
    world = scene()
    with pytest.raises(ValidationFailed) as refused:
        submit(world.submitter, body="   ")
    assert set(refused.value.field_errors) == {"body", "files"}
    assert Resource.objects.count() == 0


def test_a_bad_file_is_refused_before_anything_is_saved():
    with pytest.raises(ValidationFailed) as refused:
        file_validate(upload("policy.pdf", b"<html><body>not a pdf</body></html>"))
    assert "is not a .pdf file" in refused.value.message


def test_a_member_may_not_share_as_an_organization_they_do_not_belong_to():
    world = scene()
    other = make_organization(name="Elsewhere Clinic")
    with pytest.raises(ValidationFailed) as refused:
        submit(world.submitter, access=Access.ORGANIZATION, organization_id=other.pk)
    assert refused.value.field_errors == {"organization": ["Choose one of your own organizations."]}
    assert Resource.objects.count() == 0


def test_patients_and_anonymous_people_may_not_submit():
    patient = make_user(roles=(Role.PATIENT,), profession="patient_or_caregiver")
    with pytest.raises(PermissionRefused):
        submit(patient)
    assert Resource.objects.count() == 0


def test_a_draft_gets_files_then_is_sent():
    world = scene()
    draft = services.submission_create(actor=world.submitter, fields=fields(), submit=False)
    assert draft.status == ResourceStatus.DRAFT
    with pytest.raises(ValidationFailed):
        services.submission_submit(actor=world.submitter, resource=draft)

    services.submission_files_add(actor=world.submitter, resource=draft, files=[a_pdf()])
    sent = services.submission_submit(actor=world.submitter, resource=draft)

    assert sent.status == ResourceStatus.SUBMITTED
    with pytest.raises(Conflict):
        services.submission_submit(actor=world.submitter, resource=draft)
    assert ReviewEvent.objects.filter(action=ReviewAction.SUBMITTED).count() == 1


def test_only_the_submitter_sends_their_draft():
    world = scene()
    draft = services.submission_create(
        actor=world.submitter,
        fields=fields(),
        content=services.SubmissionContent(body="Text"),
        submit=False,
    )
    with pytest.raises(PermissionRefused):
        services.submission_submit(actor=make_user(), resource=draft)
    draft.refresh_from_db()
    assert draft.status == ResourceStatus.DRAFT


def test_after_changes_are_asked_the_submitter_edits_adds_a_version_and_resubmits():
    world = scene()
    resource = submit(world.submitter, files=(a_pdf(),))
    ask_for_changes(world.reviewer, resource, comment="Please add who to contact.")
    resource.refresh_from_db()

    services.submission_edit(
        actor=world.submitter,
        resource=resource,
        fields=fields(title="Riverside social-media policy (2nd draft)"),
        content=services.SubmissionContent(
            body="## Purpose\nBe kind online.\n\n## Contacts\nCommunications office.",
            change_note="Added the contacts",
        ),
        keep_files=True,
    )
    resource.refresh_from_db()
    assert resource.title == "Riverside social-media policy (2nd draft)"
    assert current(resource).number == 2
    assert current(resource).change_note == "Added the contacts"
    assert [f.original_name for f in current(resource).files.all()] == ["policy.pdf"]

    services.submission_resubmit(
        actor=world.submitter, resource=resource, comment="Contacts are in."
    )
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.SUBMITTED
    assert list(ReviewEvent.objects.values_list("action", "comment")) == [
        (ReviewAction.SUBMITTED, ""),
        (ReviewAction.CHANGES_REQUESTED, "Please add who to contact."),
        (ReviewAction.RESUBMITTED, "Contacts are in."),
    ]
    assert Notification.objects.filter(
        recipient=world.reviewer, summary__startswith="sent “Riverside"
    ).exists()


def test_editing_without_changing_the_text_makes_no_new_version():
    world = scene()
    resource = submit(world.submitter)
    ask_for_changes(world.reviewer, resource)
    resource.refresh_from_db()
    services.submission_edit(
        actor=world.submitter,
        resource=resource,
        fields=fields(summary="A clearer summary."),
        content=services.SubmissionContent(body=current(resource).body),
    )
    assert ResourceVersion.objects.filter(resource=resource).count() == 1


def test_a_submission_under_review_cannot_be_edited_or_resubmitted():
    world = scene()
    resource = submit(world.submitter)
    with pytest.raises(PermissionRefused):
        services.submission_edit(actor=world.submitter, resource=resource, fields=fields())
    with pytest.raises(Conflict):
        services.submission_resubmit(actor=world.submitter, resource=resource)
    with pytest.raises(PermissionRefused):
        services.submission_files_add(actor=world.submitter, resource=resource, files=[a_pdf()])
    assert ResourceVersion.objects.filter(resource=resource).count() == 1


def test_the_submitter_withdraws_before_a_decision_but_not_after():
    world = scene()
    resource = submit(world.submitter)
    withdrawn = services.submission_withdraw(
        actor=world.submitter, resource=resource, reason="Sent the wrong file."
    )
    assert withdrawn.status == ResourceStatus.WITHDRAWN
    assert ReviewEvent.objects.filter(action=ReviewAction.WITHDRAWN).get().comment == (
        "Sent the wrong file."
    )
    resource.refresh_from_db()
    with pytest.raises(PermissionRefused):
        services.submission_withdraw(actor=world.submitter, resource=resource)


def test_someone_else_may_not_withdraw():
    world = scene()
    resource = submit(world.submitter)
    with pytest.raises(PermissionRefused):
        services.submission_withdraw(actor=world.reviewer, resource=resource)
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.SUBMITTED


def test_an_organization_that_does_not_exist_is_refused_even_for_staff():
    world = scene()
    with pytest.raises(ValidationFailed) as refused:
        submit(world.reviewer, organization_id=999_999)
    assert list(refused.value.field_errors) == ["organization"]
    assert Resource.objects.count() == 0
