"""The community at scale (`townsquare demo --scale large`), at a tiny scale: the rows obey the
rules the services keep (members post, counters agree, pseudonyms, search), and load once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.db.models import Count, F, Max, Q

from townsquare.accounts import demo_large as accounts_demo_large
from townsquare.accounts.models import User
from townsquare.core.models import SearchDocument
from townsquare.privacy import scan

from .. import demo_large
from ..documents import COMMENT_KIND, POST_KIND, comment_document, post_document
from ..models import (
    Comment,
    CommunityProfile,
    ContentStatus,
    Follow,
    Hashtag,
    MembershipStatus,
    Poll,
    PollBallot,
    Post,
    PostHashtag,
    PostKind,
    Reaction,
    Space,
    SpaceKind,
    SpaceMembership,
)
from ..permissions import can_read_space
from ..selectors.feeds import home_feed
from ..text import HANDLE_RE
from .factories import make_post

PEOPLE, ORGANIZATIONS = 300, 6
COUNTS = demo_large.CommunityCounts(spaces=8, posts=2500, follows_per_person=40, chunk=600)


def _load() -> str:
    output = StringIO()
    with demo_large.counts_override(COUNTS):
        accounts_demo_large.load_large(
            output, people=PEOPLE, organizations=ORGANIZATIONS, progress=False
        )
    return output.getvalue()


@pytest.fixture
def loaded(db):
    return _load()


def _large_posts():
    return Post.objects.filter(space__slug__startswith=demo_large.SLUG_PREFIX)


def test_the_community_generator_runs_after_the_people():
    names = list(accounts_demo_large.generators())
    assert names.index("accounts.people") < names.index("community.large")


def test_the_counts_follow_the_scale():
    assert demo_large.CommunityCounts.at_scale(1.0) == demo_large.CommunityCounts()
    assert demo_large.CommunityCounts().posts == 1_000_000
    small = demo_large.CommunityCounts.at_scale(0.03)
    assert (small.spaces, small.posts) == (6, 900)
    assert demo_large.CommunityCounts.at_scale(0.5).posts == 250_000
    with demo_large.counts_override(COUNTS):
        assert demo_large._overrides[-1] == COUNTS
    assert not demo_large._overrides


@pytest.mark.django_db
def test_the_scale_comes_from_the_people_there_not_the_default(monkeypatch):
    # accounts' own test shrinks the default to 30 people, which makes ``demo.scale`` 1.0.
    monkeypatch.setattr(accounts_demo_large, "DEFAULT_PEOPLE", 30)
    accounts_demo_large.load_large(StringIO(), people=30, organizations=3, progress=False)
    assert _large_posts().count() == 200
    assert Space.objects.filter(slug__startswith=demo_large.SLUG_PREFIX).count() == 4


def test_the_generated_text_passes_the_privacy_guard():
    texts = [
        *demo_large.STAFF_OPENINGS,
        *demo_large.PATIENT_OPENINGS,
        *demo_large.STAFF_FOLLOW_UPS,
        *demo_large.PATIENT_FOLLOW_UPS,
        *demo_large.STAFF_COMMENTS,
        *demo_large.PATIENT_COMMENTS,
        *demo_large.CLINICIAN_COMMENTS,
    ]
    topics = [phrase for phrase, *_ in (*demo_large.STAFF_TOPICS, *demo_large.PATIENT_TOPICS)]
    for text in texts:
        for topic in topics[:: 1 if "{topic}" in text else len(topics)]:
            assert scan(text.format(topic=topic)) == [], text


def test_the_large_demo_loads_the_community_once(loaded):
    assert "community: 2,500 posts in 8 spaces" in loaded
    assert _large_posts().count() == COUNTS.posts
    assert Space.objects.filter(slug__startswith=demo_large.SLUG_PREFIX).count() == COUNTS.spaces
    before = {
        model.__name__: model.objects.count()
        for model in (Space, SpaceMembership, Follow, Post, Comment, Reaction, SearchDocument)
    }

    second = _load()

    assert "loaded already" in second
    assert "nothing inserted" in second
    assert before == {
        model.__name__: model.objects.count()
        for model in (Space, SpaceMembership, Follow, Post, Comment, Reaction, SearchDocument)
    }


def test_space_counters_agree_with_the_rows(loaded):
    spaces = Space.objects.filter(slug__startswith=demo_large.SLUG_PREFIX).annotate(
        active=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE)),
    )
    for space in spaces:
        published = space.posts.filter(status=ContentStatus.PUBLISHED)
        assert space.member_count == space.active > 0
        assert space.post_count == published.count()
        assert space.last_post_at == published.aggregate(latest=Max("published_at"))["latest"]
        moderators = space.memberships.filter(role="moderator", status=MembershipStatus.ACTIVE)
        assert 1 <= moderators.count() <= 2
        assert space.created_by_id in set(moderators.values_list("user_id", flat=True))


def test_post_and_comment_counters_agree_with_the_rows(loaded):
    comments = dict(
        Comment.objects.filter(status=ContentStatus.PUBLISHED)
        .values("post")
        .annotate(count=Count("pk"))
        .values_list("post", "count")
    )
    reactions = dict(
        Reaction.objects.filter(post__isnull=False)
        .values("post")
        .annotate(count=Count("pk"))
        .values_list("post", "count")
    )
    for pk, comment_count, reaction_count in _large_posts().values_list(
        "pk", "comment_count", "reaction_count"
    ):
        assert comment_count == comments.get(pk, 0)
        assert reaction_count == reactions.get(pk, 0)
    comment_reactions = dict(
        Reaction.objects.filter(comment__isnull=False)
        .values("comment")
        .annotate(count=Count("pk"))
        .values_list("comment", "count")
    )
    for pk, reaction_count in Comment.objects.values_list("pk", "reaction_count"):
        assert reaction_count == comment_reactions.get(pk, 0)
    assert comments
    assert reactions
    assert comment_reactions


def test_hashtags_and_polls_count_what_they_hold(loaded):
    assert not PostHashtag.objects.exclude(post__status=ContentStatus.PUBLISHED).exists()
    for hashtag in Hashtag.objects.annotate(uses=Count("post_hashtags")):
        assert hashtag.post_count == hashtag.uses
    used = Hashtag.objects.filter(post_count__gt=0)
    assert used.count() > 10
    for post in _large_posts().filter(post_hashtags__isnull=False).distinct()[:200]:
        names = set(post.post_hashtags.values_list("hashtag__name", flat=True))
        assert all(f"#{name}" in post.body for name in names)
    polls = Poll.objects.filter(post__space__slug__startswith=demo_large.SLUG_PREFIX)
    assert polls.count() == _large_posts().filter(kind=PostKind.POLL).count() > 0
    for poll in polls.prefetch_related("options"):
        assert poll.voter_count == poll.ballots.count()
        for option in poll.options.all():
            assert option.vote_count == option.ballots.count()
    assert PollBallot.objects.exists()


def test_authors_are_members_and_members_follow_their_spaces(loaded):
    active = set(
        SpaceMembership.objects.filter(status=MembershipStatus.ACTIVE).values_list(
            "space_id", "user_id"
        )
    )
    assert set(_large_posts().values_list("space_id", "author_id")) <= active
    assert set(Comment.objects.values_list("post__space_id", "author_id")) <= active
    followed = set(
        Follow.objects.filter(space__isnull=False).values_list("space_id", "follower_id")
    )
    assert active <= followed
    assert not Follow.objects.filter(followed_user__roles__role="patient").exists()
    people = Follow.objects.filter(followed_user__isnull=False)
    assert people.exists()
    assert not people.filter(follower_id=F("followed_user_id")).exists()
    average = Follow.objects.count() / User.objects.filter(email__endswith=".example").count()
    assert 0.7 * COUNTS.follows_per_person < average < 1.3 * COUNTS.follows_per_person


def test_pseudonyms_profiles_and_clinicians(loaded):
    profiles = CommunityProfile.objects.filter(user__email__endswith=".example")
    assert profiles.count() >= PEOPLE - 5
    for handle in profiles.values_list("handle", flat=True):
        assert HANDLE_RE.match(handle), handle
    patients = profiles.filter(user__roles__role="patient")
    assert patients.filter(use_pseudonym=True).exists()
    assert not patients.exclude(handle__startswith="member.").exists()
    pseudonymous = set(profiles.filter(use_pseudonym=True).values_list("user_id", flat=True))
    assert not _large_posts().filter(as_pseudonym=True, space__kind=SpaceKind.STAFF).exists()
    for author_id in _large_posts().filter(as_pseudonym=True).values_list("author_id", flat=True):
        assert author_id in pseudonymous
    verified = set(
        profiles.filter(clinician_verified_at__isnull=False).values_list("user_id", flat=True)
    )
    for author_id in Comment.objects.filter(by_verified_clinician=True).values_list(
        "author_id", flat=True
    ):
        assert author_id in verified


def test_statuses_answers_and_threads_are_consistent(loaded):
    posts = _large_posts()
    assert posts.filter(status=ContentStatus.PUBLISHED).count() > 0.98 * COUNTS.posts
    assert not posts.filter(status=ContentStatus.PUBLISHED, published_at__isnull=True).exists()
    assert not posts.exclude(kind=PostKind.DISCUSSION).filter(title="").exists()
    for post in posts.filter(accepted_comment__isnull=False).select_related("accepted_comment"):
        assert post.kind == PostKind.QUESTION
        assert post.accepted_comment.post_id == post.pk
        assert post.accepted_comment.status == ContentStatus.PUBLISHED
    for comment in Comment.objects.filter(parent__isnull=False).select_related("parent"):
        assert comment.parent is not None
        assert comment.parent.post_id == comment.post_id
        assert comment.depth == min(3, comment.parent.depth + 1)
        assert comment.created_at >= comment.parent.created_at
    hidden = posts.filter(status__in=[ContentStatus.HIDDEN, ContentStatus.REMOVED])
    for post in hidden:
        assert post.moderation_actions.count() == 1


def test_the_search_index_holds_what_the_documents_say(loaded):
    published = _large_posts().filter(status=ContentStatus.PUBLISHED)
    indexed = set(SearchDocument.objects.filter(kind=POST_KIND).values_list("object_id", flat=True))
    assert set(published.values_list("pk", flat=True)) <= indexed
    for post in published.select_related("space").order_by("pk")[:: max(1, COUNTS.posts // 60)]:
        document = SearchDocument.objects.get(kind=POST_KIND, object_id=post.pk)
        expected = post_document(post)
        assert (document.title, document.body) == (expected["title"], expected["body"])
        assert sorted(document.keywords.split()) == sorted(expected["keywords"].split())
    for comment in Comment.objects.filter(status=ContentStatus.PUBLISHED).select_related("post")[
        :40
    ]:
        document = SearchDocument.objects.get(kind=COMMENT_KIND, object_id=comment.pk)
        assert (document.title, document.body) == tuple(comment_document(comment).values())


def test_feeds_work_on_the_loaded_data_and_new_posts_get_new_ids(loaded):
    reader = User.objects.filter(follows__followed_user__isnull=False).distinct().first()
    page = home_feed(reader)
    assert len(page.items) == 20
    for post in page.items:
        assert can_read_space(reader, post.space)
    space = Space.objects.get(pk=page.items[0].space_id)
    membership = SpaceMembership.objects.filter(space=space, status="active").first()
    assert membership is not None
    author = User.objects.get(pk=membership.user_id)
    latest = Post.objects.aggregate(latest=Max("pk"))["latest"]
    post = make_post(author, space, body="A new post after the load.")
    assert post.pk > latest
