"""Creating notifications: every rule that keeps one from a person, at most once per dedupe key,
a fixed number of queries for many recipients, withdrawing, reading, settings and scopes."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import make_user
from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.core.models import AuditRecord

from ..models import (
    EmailMode,
    EmailState,
    Notification,
    NotificationKind,
    NotificationSettings,
    ScopeLevel,
    ScopeSetting,
)
from ..selectors import (
    notification_list,
    scope_level_of,
    settings_of,
    unread_count,
    watchers_of,
)
from ..services import (
    notification_read,
    notifications_read_all,
    notifications_withdraw,
    notify,
    notify_many,
    scope_level_set,
    settings_update,
)
from .factories import make_notification

pytestmark = pytest.mark.django_db

SPACE = "community.space:12"
SUMMARY = "replied to your post in Diabetes Support"


def reply(recipient: User, **fields: object) -> Notification | None:
    values: dict[str, object] = {
        "recipient": recipient,
        "kind": NotificationKind.REPLY,
        "summary": SUMMARY,
        "url": "/community/posts/5/",
        "actor_label": "River (pseudonym)",
        "scope": SPACE,
        "scope_label": "Diabetes Support",
        **fields,
    }
    return notify(**values)  # type: ignore[arg-type]


# What a notification holds ------------------------------------------------------------------------


def test_notify_writes_what_the_caller_said_and_waits_for_the_daily_digest():
    person, actor = make_user(), make_user()
    notification = reply(person, actor=actor)
    assert notification is not None
    notification.refresh_from_db()
    assert (notification.recipient, notification.actor, notification.kind) == (
        person,
        actor,
        NotificationKind.REPLY,
    )
    assert notification.line == "River (pseudonym) replied to your post in Diabetes Support"
    assert (notification.scope, notification.scope_label) == (SPACE, "Diabetes Support")
    assert notification.read_at is None
    assert (notification.email_state, notification.digest_mode) == (
        EmailState.DIGEST_PENDING,
        "daily",
    )


def test_an_actor_without_a_label_reads_as_someone_never_their_name():
    person, actor = make_user(), make_user(display_name="Real Name")
    notification = reply(person, actor=actor, actor_label="")
    assert notification is not None
    assert notification.line == f"Someone {SUMMARY}"
    assert "Real Name" not in notification.line


def test_long_labels_are_shortened_rather_than_refused():
    notification = reply(make_user(), summary="x" * 500, scope_label="y" * 500)
    assert notification is not None
    assert len(notification.summary) == 300
    assert notification.summary.endswith("…")
    assert len(notification.scope_label) == 200


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "gossip"}, "kind"),
        ({"url": "https://evil.example/"}, "url"),
        ({"url": "//evil.example/"}, "url"),
        ({"url": "/ok/\nSet-Cookie"}, "url"),
        ({"url": "community/posts/5/"}, "url"),
        ({"scope": "Not a scope"}, "scope"),
        ({"scope": "community.space:1\n"}, "scope"),
        ({"summary": "   "}, "summary"),
    ],
)
def test_bad_input_is_refused(fields, field):
    with pytest.raises(ValidationFailed) as error:
        reply(make_user(), **fields)
    assert field in error.value.field_errors
    assert Notification.objects.count() == 0


# Who is not notified -----------------------------------------------------------------------------


def test_nobody_is_notified_of_their_own_action():
    person = make_user()
    assert reply(person, actor=person) is None
    assert Notification.objects.count() == 0


def test_inactive_and_deleted_accounts_are_never_notified():
    inactive = make_user()
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    deleted = make_user()
    User.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    assert reply(inactive) is None
    assert reply(deleted) is None
    assert (
        notify_many(recipients=[inactive, deleted], kind="reply", summary=SUMMARY, url="/x/") == 0
    )
    assert Notification.objects.count() == 0


def test_a_kind_switched_off_is_neither_shown_nor_emailed():
    person = make_user()
    settings_update(
        user=person, email_mode="daily", disabled_kinds=["reaction"], email_disabled_kinds=[]
    )
    assert reply(person, kind=NotificationKind.REACTION) is None
    assert reply(person) is not None


def test_moderation_decisions_cannot_be_switched_off_in_the_app():
    person = make_user()
    with pytest.raises(ValidationFailed) as error:
        settings_update(
            user=person, email_mode="daily", disabled_kinds=["moderation"], email_disabled_kinds=[]
        )
    assert "disabled_kinds" in error.value.field_errors
    assert not NotificationSettings.objects.filter(user=person).exists()


def test_a_kind_switched_off_by_email_is_shown_but_never_emailed():
    person = make_user()
    settings_update(
        user=person, email_mode="immediate", disabled_kinds=[], email_disabled_kinds=["reply"]
    )
    notification = reply(person)
    assert notification is not None
    assert notification.email_state == EmailState.SKIPPED


def test_a_muted_scope_lets_only_moderation_decisions_through():
    person = make_user()
    scope_level_set(user=person, scope=SPACE, level="muted")
    for kind in ["reply", "mention", "reaction", "new_post", "answer_accepted"]:
        assert reply(person, kind=kind) is None, kind
    decision = reply(person, kind=NotificationKind.MODERATION, summary="your post was hidden")
    assert decision is not None
    assert reply(person, scope="community.space:13") is not None  # other spaces are not muted


def test_new_posts_reach_only_the_people_watching_the_scope():
    watcher, normal = make_user(), make_user()
    scope_level_set(user=watcher, scope=SPACE, level="watching")
    made = notify_many(
        recipients=[watcher, normal],
        kind=NotificationKind.NEW_POST,
        summary="posted in Diabetes Support",
        url="/community/posts/9/",
        scope=SPACE,
    )
    assert made == 1
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [watcher.pk]
    assert reply(watcher, kind=NotificationKind.NEW_POST, scope="") is None  # no scope to watch


def test_watching_still_hears_replies_and_mentions():
    person = make_user()
    scope_level_set(user=person, scope=SPACE, level="watching")
    assert reply(person) is not None
    assert reply(person, kind=NotificationKind.MENTION, url="/community/posts/6/") is not None


# Email decided at creation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "state", "digest"),
    [
        ("immediate", EmailState.IMMEDIATE_QUEUED, ""),
        ("daily", EmailState.DIGEST_PENDING, "daily"),
        ("weekly", EmailState.DIGEST_PENDING, "weekly"),
        ("off", EmailState.SKIPPED, ""),
    ],
)
def test_the_email_mode_decides_the_email_state(mode, state, digest):
    person = make_user()
    settings_update(user=person, email_mode=mode, disabled_kinds=[], email_disabled_kinds=[])
    notification = reply(person)
    assert notification is not None
    assert (notification.email_state, notification.digest_mode) == (state, digest)


def test_a_scope_email_mode_overrides_the_persons():
    person = make_user()
    settings_update(user=person, email_mode="daily", disabled_kinds=[], email_disabled_kinds=[])
    scope_level_set(user=person, scope=SPACE, level="normal", email_mode="weekly")
    in_scope = reply(person)
    elsewhere = reply(person, scope="community.space:99")
    assert in_scope is not None
    assert elsewhere is not None
    assert in_scope.digest_mode == "weekly"
    assert elsewhere.digest_mode == "daily"


# At most once ------------------------------------------------------------------------------------


def test_a_dedupe_key_notifies_a_person_at_most_once():
    person = make_user()
    first = reply(person, dedupe_key="reply:77")
    again = reply(person, dedupe_key="reply:77")
    assert first is not None
    assert again is None
    assert Notification.objects.filter(recipient=person).count() == 1
    assert reply(make_user(), dedupe_key="reply:77") is not None  # per recipient


def test_a_duplicate_does_not_break_the_callers_transaction():
    person = make_user()
    reply(person, dedupe_key="k")
    with transaction.atomic():
        assert reply(person, dedupe_key="k") is None
        assert User.objects.filter(pk=person.pk).exists()  # the transaction is still usable
        assert reply(person, dedupe_key="k2") is not None
    assert Notification.objects.count() == 2


def test_a_very_long_dedupe_key_still_dedupes():
    person = make_user()
    key = "post:1:" + "z" * 400
    assert reply(person, dedupe_key=key) is not None
    assert reply(person, dedupe_key=key) is None


def test_notify_many_counts_only_new_notifications():
    people = [make_user() for _ in range(3)]
    reply(people[0], dedupe_key="post:1")
    made = notify_many(
        recipients=people, kind="reply", summary=SUMMARY, url="/x/", dedupe_key="post:1"
    )
    assert made == 2
    assert (
        notify_many(
            recipients=people, kind="reply", summary=SUMMARY, url="/x/", dedupe_key="post:1"
        )
        == 0
    )
    assert Notification.objects.count() == 3


def test_notify_many_takes_a_queryset_and_leaves_out_the_actor():
    actor = make_user()
    others = [make_user() for _ in range(2)]
    recipients = User.objects.filter(pk__in=[actor.pk, *(person.pk for person in others)])
    assert (
        notify_many(recipients=recipients, kind="follow", summary="s", url="/p/", actor=actor) == 2
    )
    assert not Notification.objects.filter(recipient=actor).exists()


def _crowd(size: int) -> list[User]:
    people = [make_user() for _ in range(size)]
    # a mixture of preferences, so every lookup has rows to read
    for index, person in enumerate(people[: size // 2]):
        settings_update(
            user=person,
            email_mode=["immediate", "daily", "weekly", "off"][index % 4],
            disabled_kinds=["reaction"] if index % 3 == 0 else [],
            email_disabled_kinds=[],
        )
        scope_level_set(user=person, scope=SPACE, level=["watching", "muted"][index % 2])
    return people


@pytest.mark.parametrize("size", [5, 50])
def test_notify_many_takes_the_same_queries_for_5_and_50_people(size, django_assert_num_queries):
    people = _crowd(size)
    # the savepoint, people, settings, scope levels, one insert, the release
    with django_assert_num_queries(6):
        notify_many(recipients=people, kind="reply", summary=SUMMARY, url="/x/", scope=SPACE)
    # with a dedupe key, also a count of the rows that were new
    with django_assert_num_queries(7):
        made = notify_many(
            recipients=people,
            kind="mention",
            summary="mentioned you",
            url="/y/",
            scope=SPACE,
            dedupe_key="mention:1",
        )
    assert made == Notification.objects.filter(kind="mention").count() > size // 2


# Withdrawing -------------------------------------------------------------------------------------


def test_withdraw_for_someone_who_lost_access_to_a_space():
    leaving, staying = make_user(), make_user()
    for person in (leaving, staying):
        reply(person)
        reply(person, scope="community.space:99")
    assert unread_count(leaving) == 2
    removed = notifications_withdraw(scope=SPACE, recipient=leaving)
    assert removed == 1
    assert list(Notification.objects.filter(recipient=leaving).values_list("scope", flat=True)) == [
        "community.space:99"
    ]
    assert Notification.objects.filter(recipient=staying).count() == 2
    assert unread_count(leaving) == 1  # the cached count was forgotten
    record = AuditRecord.objects.get(action="notifications.withdraw")
    assert record.data == {
        "scope": SPACE,
        "url_prefix": "",
        "recipient_id": leaving.pk,
        "count": 1,
    }


def test_withdraw_everyones_notifications_about_a_removed_post():
    people = [make_user() for _ in range(3)]
    notify_many(
        recipients=people, kind="reply", summary=SUMMARY, url="/community/posts/5/#c1", scope=SPACE
    )
    notify_many(
        recipients=people, kind="reply", summary=SUMMARY, url="/community/posts/50/", scope=SPACE
    )
    assert notifications_withdraw(scope=SPACE, url_prefix="/community/posts/5/") == 3
    assert set(Notification.objects.values_list("url", flat=True)) == {"/community/posts/50/"}


def test_withdraw_refuses_to_delete_everything():
    reply(make_user())
    for scope, url_prefix in [("", ""), ("", "/"), ("bad scope", ""), ("", "//evil/")]:
        with pytest.raises(ValidationFailed):
            notifications_withdraw(scope=scope, url_prefix=url_prefix)
    assert Notification.objects.count() == 1
    assert notifications_withdraw(scope="community.space:404") == 0


# Reading -----------------------------------------------------------------------------------------


def test_reading_one_and_all():
    person = make_user()
    first, second, other_space = reply(person), reply(person), reply(person, scope="a.b:1")
    assert first is not None
    assert second is not None
    assert other_space is not None
    assert unread_count(person) == 3
    notification_read(user=person, notification=first)
    assert first.read_at is not None
    assert unread_count(person) == 2
    assert notifications_read_all(user=person, scope=SPACE) == 1
    assert unread_count(person) == 1
    assert notifications_read_all(user=person) == 1
    assert notifications_read_all(user=person) == 0
    assert unread_count(person) == 0
    assert list(notification_list(person, unread_only=True)) == []


def test_nobody_reads_someone_elses_notification():
    notification = reply(make_user())
    assert notification is not None
    with pytest.raises(NotFound):
        notification_read(user=make_user(), notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_unread_count_comes_from_the_cache_until_it_changes(django_assert_num_queries):
    person = make_user()
    reply(person)
    assert unread_count(person) == 1
    with django_assert_num_queries(0):
        assert unread_count(person) == 1
    reply(person, url="/community/posts/6/")
    with django_assert_num_queries(1):
        assert unread_count(person) == 2


def test_the_unread_count_is_counted_where_the_cache_is_the_database(
    settings, django_assert_num_queries
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    person = make_user()
    make_notification(recipient=person)
    with django_assert_num_queries(1):
        assert unread_count(person) == 1


# Settings and scopes ----------------------------------------------------------------------------


def test_settings_default_to_a_daily_digest_of_everything():
    current = settings_of(make_user())
    assert current.pk is None
    assert (current.email_mode, current.disabled_kinds, current.email_disabled_kinds) == (
        EmailMode.DAILY,
        [],
        [],
    )


def test_settings_update_is_audited_and_settles_waiting_emails():
    person = make_user()
    waiting_reply = reply(person)
    waiting_mention = reply(person, kind="mention")
    assert waiting_reply is not None
    assert waiting_mention is not None
    chosen = settings_update(
        user=person,
        email_mode="weekly",
        disabled_kinds=["reaction", "reaction"],
        email_disabled_kinds=["mention"],
    )
    assert (chosen.email_mode, chosen.disabled_kinds, chosen.email_disabled_kinds) == (
        "weekly",
        ["reaction"],
        ["mention"],
    )
    waiting_reply.refresh_from_db()
    waiting_mention.refresh_from_db()
    assert (waiting_reply.email_state, waiting_reply.digest_mode) == ("digest_pending", "weekly")
    assert waiting_mention.email_state == EmailState.SKIPPED
    assert AuditRecord.objects.filter(
        action="notifications.settings_update", actor_id=person.pk
    ).exists()
    settings_update(user=person, email_mode="off", disabled_kinds=[], email_disabled_kinds=[])
    waiting_reply.refresh_from_db()
    assert waiting_reply.email_state == EmailState.SKIPPED


@pytest.mark.parametrize(
    "kwargs",
    [
        {"email_mode": "hourly", "disabled_kinds": [], "email_disabled_kinds": []},
        {"email_mode": "daily", "disabled_kinds": ["gossip"], "email_disabled_kinds": []},
        {"email_mode": "daily", "disabled_kinds": [], "email_disabled_kinds": ["x"]},
    ],
)
def test_settings_refuse_unknown_values(kwargs):
    with pytest.raises(ValidationFailed):
        settings_update(user=make_user(), **kwargs)


def test_scope_levels_and_watchers():
    watcher, muter, inactive = make_user(), make_user(), make_user()
    scope_level_set(user=watcher, scope=SPACE, level="watching", scope_label="Diabetes Support")
    scope_level_set(user=muter, scope=SPACE, level="muted")
    scope_level_set(user=inactive, scope=SPACE, level="watching")
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    assert scope_level_of(watcher, SPACE) == ScopeLevel.WATCHING
    assert scope_level_of(muter, SPACE) == ScopeLevel.MUTED
    assert scope_level_of(make_user(), SPACE) == ScopeLevel.NORMAL
    assert list(watchers_of(SPACE)) == [watcher]
    assert list(watchers_of("community.space:1")) == []


def test_back_to_normal_removes_the_row_and_keeps_the_label():
    person = make_user()
    scope_level_set(user=person, scope=SPACE, level="watching", scope_label="Diabetes Support")
    setting = scope_level_set(user=person, scope=SPACE, level="normal")
    assert setting.pk is None
    assert setting.scope_label == "Diabetes Support"
    assert not ScopeSetting.objects.filter(user=person).exists()


def test_a_scope_label_is_taken_from_the_latest_notification():
    person = make_user()
    reply(person)
    setting = scope_level_set(user=person, scope=SPACE, level="watching")
    assert setting.scope_label == "Diabetes Support"


def test_muting_a_scope_cancels_its_waiting_emails_except_moderation():
    person = make_user()
    waiting = reply(person)
    decision = reply(person, kind="moderation", summary="hid your post")
    assert waiting is not None
    assert decision is not None
    scope_level_set(user=person, scope=SPACE, level="muted")
    waiting.refresh_from_db()
    decision.refresh_from_db()
    assert waiting.email_state == EmailState.SKIPPED
    assert decision.email_state == EmailState.DIGEST_PENDING


@pytest.mark.parametrize(
    "kwargs",
    [
        {"scope": "", "level": "watching"},
        {"scope": "nope", "level": "watching"},
        {"scope": SPACE, "level": "loud"},
        {"scope": SPACE, "level": "normal", "email_mode": "hourly"},
    ],
)
def test_scope_level_set_refuses_bad_input(kwargs):
    with pytest.raises(ValidationFailed):
        scope_level_set(user=make_user(), **kwargs)
