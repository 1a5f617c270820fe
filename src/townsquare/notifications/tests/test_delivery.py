"""Email delivery: immediate notifications sent once even if the task runs twice; digests grouped
by scope and sent once per period; "off" never; and no email ever holds more than the actor's
label, the summary and a link."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import make_user

from ..models import EmailState, Notification, NotificationSettings
from ..services import (
    delivery,
    notification_read,
    notifications_withdraw,
    notify,
    notify_many,
    settings_update,
)
from ..services.delivery import (
    IMMEDIATE_SUBJECT,
    PRIVACY_NOTE,
    deliver_stale,
    digest_period_start,
    digests_send,
)
from ..tasks import deliver, deliver_batch, deliver_queued, send_digests

pytestmark = pytest.mark.django_db

SPACE = "community.space:12"
# Wednesday 12 March 2025, 09:00 UTC: the daily period began at 07:00 today, the weekly one at
# 07:00 on Monday the 10th.
NOW = datetime.datetime(2025, 3, 12, 9, 0, tzinfo=datetime.UTC)
YESTERDAY = NOW - datetime.timedelta(days=1)


def person_with(mode: str, **fields: object) -> User:
    person = make_user(**fields)  # type: ignore[arg-type]
    settings_update(user=person, email_mode=mode, disabled_kinds=[], email_disabled_kinds=[])
    return person


def tell(person: User, *, summary: str = "replied to your post in Diabetes Support", **fields):
    values = {
        "recipient": person,
        "kind": "reply",
        "summary": summary,
        "url": "/community/posts/5/",
        "actor_label": "River",
        "scope": SPACE,
        "scope_label": "Diabetes Support",
        **fields,
    }
    return notify(**values)


def made_at(when: datetime.datetime) -> None:
    Notification.objects.update(created_at=when)


# Immediate ---------------------------------------------------------------------------------------


def test_an_immediate_notification_is_emailed_once_after_commit(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = person_with("immediate", display_name="Nora Nurse")
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(person)
        assert mailoutbox == []  # nothing before the commit
    assert notification is not None
    (message,) = mailoutbox
    assert message.to == [person.email]
    assert message.subject == IMMEDIATE_SUBJECT
    assert "Diabetes Support" not in message.subject  # lock screens show subjects
    assert "River replied to your post in Diabetes Support" in message.body
    assert f"http://127.0.0.1:8000/notifications/{notification.pk}/open" in message.body
    assert PRIVACY_NOTE in message.body
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENT
    assert notification.emailed_at is not None


def test_the_deliver_task_run_twice_sends_once(django_capture_on_commit_callbacks, mailoutbox):
    person = person_with("immediate")
    notification = tell(person)  # the queued task is not run here: the test holds the commit
    assert notification is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(notification.pk) is True
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(notification.pk) is False
        assert deliver.delay(notification.pk).get() is False
    assert len(mailoutbox) == 1


def test_notify_many_emails_each_immediate_person_once(
    django_capture_on_commit_callbacks, mailoutbox
):
    quick = [person_with("immediate") for _ in range(3)]
    slow = person_with("daily")
    with django_capture_on_commit_callbacks(execute=True):
        notify_many(recipients=[*quick, slow], kind="mention", summary="mentioned you", url="/p/1/")
    assert sorted(message.to[0] for message in mailoutbox) == sorted(p.email for p in quick)
    claim = Notification.objects.filter(recipient=slow).get().claim
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_batch(claim) == 0
    assert len(mailoutbox) == 3


def test_nothing_is_sent_for_a_notification_that_rolled_back(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = person_with("immediate")

    def failing_write() -> None:
        with transaction.atomic():
            tell(person)
            raise RuntimeError("the caller's write failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_write()
    assert mailoutbox == []
    assert Notification.objects.count() == 0


def test_read_or_withdrawn_before_the_task_runs_is_not_emailed(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = person_with("immediate")
    seen = tell(person)
    withdrawn = tell(person, scope="community.space:13")
    assert seen is not None
    assert withdrawn is not None
    notification_read(user=person, notification=seen)
    notifications_withdraw(scope="community.space:13", recipient=person)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(seen.pk) is False
        assert deliver(withdrawn.pk) is False
    assert mailoutbox == []
    seen.refresh_from_db()
    assert seen.email_state == EmailState.SKIPPED


def test_a_deactivated_account_gets_no_email(django_capture_on_commit_callbacks, mailoutbox):
    person = person_with("immediate")
    notification = tell(person)
    assert notification is not None
    User.objects.filter(pk=person.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(notification.pk)
    assert mailoutbox == []


def test_a_lost_task_is_made_up_by_the_sweep_once(django_capture_on_commit_callbacks, mailoutbox):
    person = person_with("immediate")
    notification = tell(person)  # its task never runs (the on-commit hook is not executed)
    assert notification is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_stale() == 0  # not stale yet
    made_at(timezone.now() - datetime.timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_queued() == 1
        assert deliver_stale() == 0
        assert deliver(notification.pk) is False
    assert len(mailoutbox) == 1


def test_off_is_never_emailed(django_capture_on_commit_callbacks, mailoutbox):
    person = person_with("off")
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(person)
    assert notification is not None
    made_at(YESTERDAY - datetime.timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(mode="daily", now=NOW) == 0
        assert digests_send(mode="weekly", now=NOW) == 0
        assert deliver(notification.pk) is False
        deliver_stale()
    assert mailoutbox == []
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SKIPPED


# Digests -----------------------------------------------------------------------------------------


def test_period_starts():
    assert digest_period_start("daily", NOW) == datetime.datetime(
        2025, 3, 12, 7, tzinfo=datetime.UTC
    )
    early = NOW.replace(hour=6)
    assert digest_period_start("daily", early) == datetime.datetime(
        2025, 3, 11, 7, tzinfo=datetime.UTC
    )
    assert digest_period_start("weekly", NOW) == datetime.datetime(
        2025, 3, 10, 7, tzinfo=datetime.UTC
    )
    monday_early = datetime.datetime(2025, 3, 10, 6, tzinfo=datetime.UTC)
    assert digest_period_start("weekly", monday_early) == datetime.datetime(
        2025, 3, 3, 7, tzinfo=datetime.UTC
    )


def test_a_daily_digest_groups_by_scope_and_goes_out_once(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = person_with("daily", display_name="Nora Nurse")
    tell(
        person,
        summary="replied to your post in Heart Failure",
        scope="community.space:2",
        scope_label="Heart Failure",
        url="/community/posts/1/",
    )
    tell(
        person,
        actor_label="Ann",
        summary="mentioned you in Diabetes Support",
        url="/community/posts/2/",
        kind="mention",
    )
    tell(
        person,
        actor_label="Staff",
        summary="announced new library hours",
        scope="",
        scope_label="",
        url="/library/",
        kind="system",
    )
    tell(person, summary="replied to your post in Diabetes Support", url="/community/posts/3/")
    made_at(YESTERDAY)
    Notification.objects.filter(url="/community/posts/3/").update(
        created_at=YESTERDAY + datetime.timedelta(hours=1)
    )
    other = person_with("daily")
    tell(other)
    made_at(YESTERDAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(mode="daily", now=NOW) == 2
    mine = next(message for message in mailoutbox if message.to == [person.email])
    assert mine.subject == "Your daily Townsquare digest: 4 notifications"
    body = mine.body
    # groups alphabetically by scope label, those without one last; oldest first inside
    order = [
        body.index("Diabetes Support\n---"),
        body.index("Ann mentioned you in Diabetes Support"),
        body.index("River replied to your post in Diabetes Support"),
        body.index("Heart Failure\n---"),
        body.index("River replied to your post in Heart Failure"),
        body.index("Other notifications\n---"),
        body.index("Staff announced new library hours"),
    ]
    assert order == sorted(order)
    for notification in Notification.objects.filter(recipient=person):
        assert f"/notifications/{notification.pk}/open" in body
        assert notification.email_state == EmailState.SENT
    assert PRIVACY_NOTE in body
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(mode="daily", now=NOW) == 0
        assert digests_send(mode="daily", now=NOW + datetime.timedelta(hours=5)) == 0
    assert len(mailoutbox) == 2
    settings_row = NotificationSettings.objects.get(user=person)
    assert settings_row.last_daily_digest_at == NOW
    assert settings_row.last_digest_at == NOW


def test_at_most_one_daily_digest_per_day(django_capture_on_commit_callbacks, mailoutbox):
    person = person_with("daily")
    tell(person)
    made_at(YESTERDAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(mode="daily", now=NOW) == 1
    # more happens today: it waits for tomorrow
    tell(person, url="/community/posts/9/")
    Notification.objects.filter(url="/community/posts/9/").update(
        created_at=NOW - datetime.timedelta(hours=1)
    )
    # a row from before today's start that arrives late (a long transaction) waits too
    late = tell(person, url="/community/posts/10/")
    assert late is not None
    Notification.objects.filter(pk=late.pk).update(created_at=NOW - datetime.timedelta(hours=3))
    assert delivery._due_people("daily", digest_period_start("daily", NOW)) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(mode="daily", now=NOW + datetime.timedelta(hours=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(mode="daily", now=NOW + datetime.timedelta(days=1)) == 1
    assert len(mailoutbox) == 2
    assert mailoutbox[1].subject == "Your daily Townsquare digest: 2 notifications"


def test_what_happens_after_the_period_began_waits_for_the_next(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = person_with("daily")
    tell(person)
    made_at(NOW - datetime.timedelta(hours=1))  # 08:00, after today's 07:00 start
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(mode="daily", now=NOW) == 0
        assert digests_send(mode="daily", now=NOW + datetime.timedelta(days=1)) == 1
    assert len(mailoutbox) == 1


def test_a_weekly_digest_goes_out_once_a_week(django_capture_on_commit_callbacks, mailoutbox):
    person = person_with("weekly")
    tell(person)
    made_at(NOW - datetime.timedelta(days=4))  # the week before
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(mode="daily", now=NOW) == 0  # not a daily person
        assert digests_send(mode="weekly", now=NOW) == 1
    tell(person, url="/community/posts/8/")
    Notification.objects.filter(url="/community/posts/8/").update(created_at=YESTERDAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(mode="weekly", now=NOW + datetime.timedelta(days=2)) == 0
        assert digests_send(mode="weekly", now=NOW + datetime.timedelta(days=5)) == 1
    assert [message.subject for message in mailoutbox] == [
        "Your weekly Townsquare digest: 1 notification",
        "Your weekly Townsquare digest: 1 notification",
    ]


def test_a_digest_lists_only_what_is_still_unread(django_capture_on_commit_callbacks, mailoutbox):
    person = person_with("daily")
    seen = tell(person)
    assert seen is not None
    notification_read(user=person, notification=seen)
    made_at(YESTERDAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(mode="daily", now=NOW) == 0
    assert mailoutbox == []
    seen.refresh_from_db()
    assert seen.email_state == EmailState.SKIPPED


def test_the_send_digests_task_and_the_tick_command(django_capture_on_commit_callbacks, mailoutbox):
    daily, weekly = person_with("daily"), person_with("weekly")
    tell(daily)
    tell(weekly)
    made_at(timezone.now() - datetime.timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests("daily") == 1
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notifications_tick", stdout=out)
    assert "Digests sent: 0 daily, 1 weekly." in out.getvalue()
    again = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notifications_tick", stdout=again)
    assert "Digests sent: 0 daily, 0 weekly." in again.getvalue()
    assert sorted(message.to[0] for message in mailoutbox) == sorted([daily.email, weekly.email])
    assert NotificationSettings.objects.get(user=weekly).last_weekly_digest_at is not None


def test_a_long_digest_lists_the_first_hundred_and_counts_the_rest(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = person_with("daily")
    notify_many(recipients=[person], kind="reply", summary="s", url="/a/", dedupe_key="0")
    for index in range(1, 103):
        tell(person, url=f"/community/posts/{index}/", dedupe_key=str(index))
    made_at(YESTERDAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(mode="daily", now=NOW) == 1
    (message,) = mailoutbox
    assert message.subject == "Your daily Townsquare digest: 103 notifications"
    assert message.body.count("/open") == 100
    assert "…and 3 more. See them all: http://127.0.0.1:8000/notifications/" in message.body
    assert Notification.objects.filter(email_state=EmailState.SENT).count() == 100
    assert Notification.objects.filter(email_state=EmailState.SKIPPED).count() == 3


def test_an_unknown_digest_is_refused():
    with pytest.raises(ValueError, match="hourly"):
        digests_send(mode="hourly")


def test_no_email_holds_more_than_label_summary_and_link(
    django_capture_on_commit_callbacks, mailoutbox
):
    """The whole body, line by line: greeting, the notification's line, its link, the privacy
    note and the settings link; nothing else a caller could have slipped in."""
    person = person_with("immediate", display_name="Nora Nurse")
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(person, actor_label="River", summary="replied to your post")
    assert notification is not None
    (message,) = mailoutbox
    lines = [line for line in message.body.splitlines() if line]
    assert lines == [
        "Hello Nora Nurse,",
        "River replied to your post",
        f"Open it on Townsquare: http://127.0.0.1:8000/notifications/{notification.pk}/open",
        PRIVACY_NOTE,
        "You get one email per notification because you chose to be emailed at once.",
        "Change how and when we email you: http://127.0.0.1:8000/notifications/settings/",
    ]
    assert message.alternatives == []
    assert mail.outbox[0].attachments == []
