"""The reviewers' side: approve now or for a date, ask for changes, reject, comment; a decision
applies once, is audited, and the submitter is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.accounts.tests.factories import make_user
from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord
from townsquare.core.search import search_ids
from townsquare.notifications.models import Notification, NotificationKind

from ..models import ResourceStatus, ReviewAction, ReviewEvent
from ..search import RESOURCE_KIND
from ..selectors import submissions as selectors
from ..services import review as services
from ..services.resources import scheduled_publish_due
from .support_submissions import approve, ask_for_changes, scene, submit

pytestmark = pytest.mark.django_db


def _submitter_notes(world):
    return list(
        Notification.objects.filter(recipient=world.submitter)
        .order_by("pk")
        .values_list("kind", "summary", "url")
    )


def test_approving_publishes_at_once_and_tells_the_submitter(django_capture_on_commit_callbacks):
    world = scene()
    resource = submit(world.submitter, body="Quokkas keep patient privacy.")

    with django_capture_on_commit_callbacks(execute=True):
        decided = services.review_decide(
            actor=world.reviewer, resource=resource, action="approve", comment="Thank you!"
        )

    assert decided.status == ResourceStatus.PUBLISHED
    assert decided.published_at is not None
    assert list(ReviewEvent.objects.values_list("action", "actor_id", "comment")) == [
        (ReviewAction.SUBMITTED, world.submitter.pk, ""),
        (ReviewAction.APPROVED, world.reviewer.pk, "Thank you!"),
        (ReviewAction.PUBLISHED, world.reviewer.pk, ""),
    ]
    assert _submitter_notes(world) == [
        (
            NotificationKind.MODERATION,
            "approved “Riverside social-media policy”: it is published in the library",
            f"/library/submissions/{resource.pk}/",
        )
    ]
    audit = AuditRecord.objects.get(action="library.review_decide")
    assert audit.data == {
        "decision": "approve",
        "status": "published",
        "publish_at": None,
        "has_comment": True,
    }
    assert search_ids(RESOURCE_KIND, "quokkas") == [resource.pk]


def test_approving_for_a_date_schedules_it_and_the_beat_publishes_it():
    world = scene()
    resource = submit(world.submitter)
    when = (timezone.now() + timedelta(days=3)).replace(microsecond=0)

    decided = approve(world.reviewer, resource, at=when)

    assert decided.status == ResourceStatus.SCHEDULED
    assert decided.publish_at == when
    assert ReviewEvent.objects.filter(action=ReviewAction.SCHEDULED).count() == 1
    [(_, summary, _)] = _submitter_notes(world)
    assert summary.endswith(f"it will be published on {when:%B} {when.day}, {when.year}")
    assert scheduled_publish_due(now=when - timedelta(minutes=1)) == 0
    assert scheduled_publish_due(now=when + timedelta(minutes=1)) == 1
    decided.refresh_from_db()
    assert decided.status == ResourceStatus.PUBLISHED


@pytest.mark.parametrize("when", [None, "past"])
def test_approving_for_a_date_needs_a_future_date(when):
    world = scene()
    resource = submit(world.submitter)
    at = timezone.now() - timedelta(hours=1) if when else None
    with pytest.raises(ValidationFailed) as refused:
        services.review_decide(
            actor=world.reviewer, resource=resource, action="approve_on_date", publish_at=at
        )
    assert "publish_at" in refused.value.field_errors
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.SUBMITTED


@pytest.mark.parametrize(
    ("action", "status", "event", "summary"),
    [
        (
            "request_changes",
            ResourceStatus.CHANGES_REQUESTED,
            ReviewAction.CHANGES_REQUESTED,
            "asked for changes to “Riverside social-media policy”",
        ),
        (
            "reject",
            ResourceStatus.REJECTED,
            ReviewAction.REJECTED,
            "did not accept “Riverside social-media policy” for the library",
        ),
    ],
)
def test_changes_and_rejections_carry_the_comment(action, status, event, summary):
    world = scene()
    resource = submit(world.submitter)

    decided = services.review_decide(
        actor=world.reviewer, resource=resource, action=action, comment="  See section 2.  "
    )

    assert decided.status == status
    last = ReviewEvent.objects.order_by("-pk")[0]
    assert (last.action, last.comment, last.version_id) == (
        event,
        "See section 2.",
        resource.current_version_id,
    )
    assert _submitter_notes(world) == [
        (NotificationKind.MODERATION, summary, f"/library/submissions/{resource.pk}/")
    ]


@pytest.mark.parametrize("action", ["request_changes", "reject"])
def test_changes_and_rejections_need_a_comment(action):
    world = scene()
    resource = submit(world.submitter)
    with pytest.raises(ValidationFailed) as refused:
        services.review_decide(actor=world.reviewer, resource=resource, action=action, comment=" ")
    assert list(refused.value.field_errors) == ["comment"]
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.SUBMITTED
    assert ReviewEvent.objects.count() == 1


def test_an_unknown_decision_is_refused():
    world = scene()
    resource = submit(world.submitter)
    with pytest.raises(ValidationFailed):
        services.review_decide(actor=world.reviewer, resource=resource, action="maybe")


def test_only_staff_decide():
    world = scene()
    resource = submit(world.submitter)
    for person in (world.submitter, make_user()):
        with pytest.raises(PermissionRefused):
            services.review_decide(actor=person, resource=resource, action="approve")
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.SUBMITTED


def test_a_second_decision_on_the_same_submission_is_a_conflict():
    world = scene()
    resource = submit(world.submitter)
    stale = type(resource).objects.get(pk=resource.pk)
    approve(world.reviewer, resource)

    with pytest.raises(Conflict):
        services.review_decide(actor=world.reviewer, resource=stale, action="reject", comment="No.")
    stale.refresh_from_db()
    assert stale.status == ResourceStatus.PUBLISHED
    assert AuditRecord.objects.filter(action="library.review_decide").count() == 1


def test_a_withdrawn_submission_cannot_be_decided():
    world = scene()
    resource = submit(world.submitter)
    services.submission_withdraw(actor=world.submitter, resource=resource)
    with pytest.raises(Conflict):
        approve(world.reviewer, resource)


def test_comments_go_both_ways():
    world = scene()
    resource = submit(world.submitter)

    services.review_comment(actor=world.reviewer, resource=resource, comment="Which version?")
    services.review_comment(actor=world.submitter, resource=resource, comment="The second.")

    assert list(
        ReviewEvent.objects.filter(action=ReviewAction.COMMENTED).values_list("actor", "comment")
    ) == [(world.reviewer.pk, "Which version?"), (world.submitter.pk, "The second.")]
    assert Notification.objects.filter(
        recipient=world.submitter,
        summary="commented on your submission “Riverside social-media policy”",
    ).exists()
    assert Notification.objects.filter(
        recipient=world.reviewer, summary="commented on “Riverside social-media policy”"
    ).exists()
    with pytest.raises(PermissionRefused):
        services.review_comment(actor=make_user(), resource=resource, comment="Hello")
    with pytest.raises(ValidationFailed):
        services.review_comment(actor=world.reviewer, resource=resource, comment="")


def test_the_queue_lists_waiting_submissions_longest_waiting_first():
    world = scene()
    first = submit(world.submitter, title="First")
    second = submit(world.submitter, title="Second")
    third = submit(world.submitter, title="Third")
    ask_for_changes(world.reviewer, second)
    services.submission_resubmit(actor=world.submitter, resource=second)
    ask_for_changes(world.reviewer, third)

    waiting = selectors.review_queue(viewer=world.reviewer)
    assert [r.title for r in waiting] == ["First", "Second"]
    newest = selectors.review_queue(
        viewer=world.reviewer, filters=selectors.QueueFilters(order="newest")
    )
    assert [r.title for r in newest] == ["Second", "First"]
    changes = selectors.review_queue(
        viewer=world.reviewer,
        filters=selectors.QueueFilters(status=ResourceStatus.CHANGES_REQUESTED),
    )
    assert [r.title for r in changes] == ["Third"]
    assert list(selectors.review_queue(viewer=world.submitter)) == []
    assert selectors.waiting_count(world.reviewer) == 2
    assert first.pk in {r.pk for r in waiting}


def test_the_submitter_reads_where_it_stands():
    world = scene()
    resource = submit(world.submitter)
    assert selectors.next_step(resource).startswith("Waiting for the library team")
    ask_for_changes(world.reviewer, resource)
    resource.refresh_from_db()
    assert selectors.next_step(resource).startswith("The reviewers asked for changes")
