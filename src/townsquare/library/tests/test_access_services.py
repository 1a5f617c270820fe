"""The access services: asking, deciding, withdrawing, revoking; who may, who is told."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord
from townsquare.notifications.models import Notification, NotificationKind

from ..models import Access, AccessGrant, AccessRequest, AccessRequestStatus
from ..permissions import can_open_resource
from ..services import access as services
from .factories import make_resource
from .support_access import access_scene, fresh

pytestmark = pytest.mark.django_db


def test_asking_creates_a_pending_request_audited_without_the_reason(
    django_capture_on_commit_callbacks,
):
    scene = access_scene()
    outsider = scene.person("outsider")
    with django_capture_on_commit_callbacks(execute=True):
        made = services.access_request_create(
            actor=outsider, resource=scene.org_private, reason="  For our ward training.  "
        )
    assert made.status == AccessRequestStatus.PENDING
    assert made.reason == "For our ward training."
    record = AuditRecord.objects.filter(action="library.access_request_create").last()
    assert record is not None
    assert record.data == {"resource": scene.org_private.pk, "has_reason": True}
    # The organization's leader decides its resources, so the leader is told.
    told = Notification.objects.filter(kind=NotificationKind.ACCESS, actor=outsider)
    assert [n.recipient_id for n in told] == [scene.person("leader").pk]
    [notice] = told
    assert notice.url == "/library/requests/"
    assert "ward training" not in notice.summary
    assert scene.org_private.title in notice.summary


def test_requests_for_resources_without_an_organization_go_to_center_staff(
    django_capture_on_commit_callbacks,
):
    scene = access_scene()
    member = scene.person("member")
    with django_capture_on_commit_callbacks(execute=True):
        services.access_request_create(actor=member, resource=scene.staff_only)
    recipients = set(
        Notification.objects.filter(actor=member).values_list("recipient_id", flat=True)
    )
    assert recipients == {user.pk for user in services.deciders_of(scene.staff_only)}
    assert scene.person("staff").pk in recipients
    assert scene.person("leader").pk not in recipients


def test_a_second_pending_request_is_a_conflict_naming_the_first():
    scene = access_scene()
    with pytest.raises(Conflict) as raised:
        services.access_request_create(actor=scene.person("member"), resource=scene.org_private)
    assert raised.value.extra == {"request_id": scene.pending.pk}
    assert AccessRequest.objects.filter(requester=scene.person("member")).count() == 1


@pytest.mark.parametrize("role", ["org_member", "leader", "staff"])
def test_people_who_may_open_it_already_cannot_ask(role):
    scene = access_scene()
    with pytest.raises(Conflict):
        services.access_request_create(actor=scene.person(role), resource=scene.org_private)


def test_an_unlisted_resource_is_not_found_for_outsiders():
    scene = access_scene()
    with pytest.raises(NotFound):
        services.access_request_create(actor=scene.person("outsider"), resource=scene.unlisted)


def test_anonymous_visitors_and_drafts_are_refused():
    scene = access_scene()
    with pytest.raises(PermissionRefused):
        services.access_request_create(actor=AnonymousUser(), resource=scene.org_private)
    draft = make_resource(access=Access.MEMBER, status="draft")
    with pytest.raises(NotFound):
        services.access_request_create(actor=scene.person("patient"), resource=draft)


def test_a_reason_too_long_is_refused_and_nothing_is_saved():
    scene = access_scene()
    before = AccessRequest.objects.count()
    with pytest.raises(ValidationFailed) as raised:
        services.access_request_create(
            actor=scene.person("outsider"), resource=scene.org_private, reason="x" * 1001
        )
    assert list(raised.value.field_errors) == ["reason"]
    assert AccessRequest.objects.count() == before


def test_granting_opens_the_resource_and_tells_the_requester(django_capture_on_commit_callbacks):
    scene = access_scene()
    leader, member = scene.person("leader"), scene.person("member")
    assert not can_open_resource(fresh(member), scene.org_private)
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.access_decide(
            actor=leader, access_request=scene.pending, decision="grant", note="Welcome."
        )
    assert decided.status == AccessRequestStatus.GRANTED
    assert decided.decided_by == leader
    assert decided.decision_note == "Welcome."
    grant = AccessGrant.objects.get(resource=scene.org_private, person=member)
    assert grant.granted_by == leader
    assert can_open_resource(fresh(member), scene.org_private)
    [notice] = Notification.objects.filter(recipient=member, kind=NotificationKind.ACCESS)
    assert notice.summary == f"granted your request to open “{scene.org_private.title}”"
    assert notice.url == f"/library/r/{scene.org_private.slug}/"
    record = AuditRecord.objects.filter(action="library.access_decide").last()
    assert record is not None
    assert record.data == {
        "resource": scene.org_private.pk,
        "requester": member.pk,
        "decision": "grant",
        "has_note": True,
    }


def test_refusing_leaves_no_grant_and_links_to_the_requests(django_capture_on_commit_callbacks):
    scene = access_scene()
    member = scene.person("member")
    with django_capture_on_commit_callbacks(execute=True):
        services.access_decide(
            actor=scene.person("staff"), access_request=scene.pending, decision="refuse"
        )
    assert AccessRequest.objects.get(pk=scene.pending.pk).status == AccessRequestStatus.REFUSED
    assert not AccessGrant.objects.filter(person=member, resource=scene.org_private).exists()
    [notice] = Notification.objects.filter(recipient=member)
    assert notice.summary.startswith("refused your request")
    assert notice.url == "/library/requests/mine/"


def test_a_second_decision_is_a_conflict_and_changes_nothing():
    scene = access_scene()
    services.access_decide(
        actor=scene.person("leader"), access_request=scene.pending, decision="refuse"
    )
    stale = AccessRequest.objects.get(pk=scene.pending.pk)
    stale.status = AccessRequestStatus.PENDING  # what a second decider's page still showed
    with pytest.raises(Conflict) as raised:
        services.access_decide(actor=scene.person("staff"), access_request=stale, decision="grant")
    assert "already been decided" in raised.value.message
    assert AccessRequest.objects.get(pk=scene.pending.pk).status == AccessRequestStatus.REFUSED
    assert not AccessGrant.objects.filter(resource=scene.org_private).exists()


@pytest.mark.parametrize("role", ["member", "org_member", "outsider", "moderator", "patient"])
def test_only_staff_and_the_owning_leaders_decide(role):
    scene = access_scene()
    with pytest.raises(PermissionRefused):
        services.access_decide(
            actor=scene.person(role), access_request=scene.pending, decision="grant"
        )
    assert AccessRequest.objects.get(pk=scene.pending.pk).status == AccessRequestStatus.PENDING


def test_a_leader_of_another_organization_does_not_decide():
    scene = access_scene()
    asked = services.access_request_create(
        actor=scene.person("outsider"), resource=scene.staff_only
    )
    with pytest.raises(PermissionRefused):
        services.access_decide(actor=scene.person("leader"), access_request=asked, decision="grant")


def test_an_unknown_decision_is_refused():
    scene = access_scene()
    with pytest.raises(ValidationFailed):
        services.access_decide(
            actor=scene.person("staff"), access_request=scene.pending, decision="maybe"
        )


def test_the_requester_withdraws_a_pending_request_once():
    scene = access_scene()
    member = scene.person("member")
    with pytest.raises(PermissionRefused):
        services.access_request_withdraw(actor=scene.person("staff"), access_request=scene.pending)
    services.access_request_withdraw(actor=member, access_request=scene.pending)
    assert AccessRequest.objects.get(pk=scene.pending.pk).status == AccessRequestStatus.WITHDRAWN
    with pytest.raises(Conflict):
        services.access_request_withdraw(actor=member, access_request=scene.pending)
    # Withdrawn, the person may ask again.
    again = services.access_request_create(actor=member, resource=scene.org_private)
    assert again.status == AccessRequestStatus.PENDING


def test_revoking_closes_the_resource_again_and_tells_the_person(
    django_capture_on_commit_callbacks,
):
    scene = access_scene()
    patient = scene.person("patient")
    assert can_open_resource(fresh(patient), scene.staff_only)
    with pytest.raises(PermissionRefused):  # the leader does not decide a staff resource
        services.grant_revoke(actor=scene.person("leader"), grant=scene.grant)
    with django_capture_on_commit_callbacks(execute=True):
        services.grant_revoke(actor=scene.person("staff"), grant=scene.grant)
    assert not AccessGrant.objects.filter(pk=scene.grant.pk).exists()
    assert not can_open_resource(fresh(patient), scene.staff_only)
    [notice] = Notification.objects.filter(recipient=patient, kind=NotificationKind.ACCESS)
    assert notice.summary == f"withdrew your access to “{scene.staff_only.title}”"
    assert AuditRecord.objects.filter(action="library.grant_revoke").count() == 1
    with pytest.raises(Conflict):
        services.grant_revoke(actor=scene.person("staff"), grant=scene.grant)


def test_deciders_fall_back_to_staff_when_the_organization_has_no_leader():
    scene = access_scene()
    from townsquare.accounts.models import OrganizationMembership

    OrganizationMembership.objects.filter(organization=scene.cast.organization).update(
        role="member"
    )
    deciders = set(services.deciders_of(scene.org_private))
    assert scene.person("staff") in deciders
    assert scene.person("leader") not in deciders
