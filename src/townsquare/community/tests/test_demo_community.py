"""The hand-written community demo: both networks, lived in, consistent with the rules, clean of
protected health information except the one post meant to be held, and loaded once."""

from __future__ import annotations

import pytest
from django.db.models import Q

from townsquare.accounts import demo as accounts_demo
from townsquare.accounts.models import User
from townsquare.core.search import search_ids
from townsquare.privacy import LIKELY_CONFIDENCE, scan

from .. import demo
from ..documents import POST_KIND
from ..models import (
    Comment,
    CommunityProfile,
    ContentStatus,
    Flag,
    FlagStatus,
    Follow,
    Hashtag,
    HoldReason,
    MembershipRole,
    MembershipStatus,
    Poll,
    Post,
    PostHashtag,
    PostKind,
    Reaction,
    Space,
    SpaceKind,
    SpaceMembership,
    SpaceVisibility,
)
from ..permissions import can_read_space, can_see_post, in_patient_community, in_staff_network
from ..selectors.feeds import home_feed

pytestmark = pytest.mark.django_db

MODELS = (Space, SpaceMembership, Follow, Post, Comment, Reaction, Flag, Poll, CommunityProfile)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def loaded(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.load_small() is True
    return {person.email: person for person in User.objects.all()}


def _person(email: str) -> User:
    return User.objects.get(email=email)


def _space(key: str) -> Space:
    spec = next(spec for spec in demo.SPACES if spec.key == key)
    return Space.objects.get(name=spec.name)


def test_every_demo_text_passes_the_privacy_guard_clean():
    for text in demo.demo_texts():
        assert scan(text) == [], text


def test_the_held_text_has_likely_identifiers():
    found = scan(demo.HELD_BODY)
    assert {finding.kind for finding in found} >= {"mrn", "date"}
    assert any(finding.confidence >= LIKELY_CONFIDENCE for finding in found)


def test_the_demo_loads_once(loaded):
    first = _counts()
    assert demo.load_small() is False
    assert _counts() == first
    assert first["Space"] == len(demo.SPACES)


def test_the_demo_brings_the_accounts_demo_when_it_is_missing():
    assert not User.objects.filter(email=demo.STAFF).exists()
    assert demo.load_small() is True
    assert User.objects.filter(email=accounts_demo.PEOPLE[0].email).exists()


def test_each_space_has_the_visibility_and_moderators_of_its_story(loaded):
    for spec in demo.SPACES:
        space = _space(spec.key)
        assert (space.kind, space.visibility, space.requires_approval) == (
            spec.kind,
            spec.visibility,
            spec.requires_approval,
        )
        moderators = set(
            space.memberships.filter(
                role=MembershipRole.MODERATOR, status=MembershipStatus.ACTIVE
            ).values_list("user__email", flat=True)
        )
        assert moderators == {spec.creator, *spec.moderators}
        active = space.memberships.filter(status=MembershipStatus.ACTIVE)
        assert space.member_count == active.count()
        assert set(active.values_list("user__email", flat=True)) == {
            spec.creator,
            *spec.moderators,
            *spec.members,
        }
    research = _space(demo.RESEARCH)
    assert research.memberships.get(user__email=demo.GRACE).status == MembershipStatus.REQUESTED
    executive = _space(demo.EXECUTIVE)
    invitation = executive.memberships.get(user__email=demo.PHYSICIAN)
    assert invitation.status == MembershipStatus.INVITED


def test_the_sign_ins_play_their_parts(loaded):
    nurse, physician = _person(demo.NURSE), _person(demo.PHYSICIAN)
    patient, instructor = _person(demo.PATIENT), _person(accounts_demo.PEOPLE[1].email)
    assert in_staff_network(nurse)
    assert not in_patient_community(nurse)
    assert in_staff_network(physician)
    assert in_patient_community(physician)  # a verified clinician
    assert in_patient_community(patient)
    assert not in_staff_network(patient)
    assert not in_staff_network(instructor)  # no organization: outside both networks
    assert not in_patient_community(instructor)
    profile = CommunityProfile.objects.get(user=patient)
    assert (profile.pseudonym, profile.use_pseudonym) == (demo.PATIENT_PSEUDONYM, True)
    assert profile.handle.lower() not in {"chris", "patel", "chris.patel"}
    for email, title in demo.CLINICIANS:
        clinician = CommunityProfile.objects.get(user__email=email)
        assert clinician.is_verified_clinician
        assert clinician.clinician_title == title


def test_pseudonymous_patients_write_under_their_pseudonym(loaded):
    pseudonymous = {person.email for person in demo.PEOPLE if person.pseudonym} | {demo.PATIENT}
    patient_posts = Post.objects.filter(space__kind=SpaceKind.PATIENT)
    for post in patient_posts.select_related("author"):
        assert post.as_pseudonym == (post.author.email in pseudonymous)
    assert not Post.objects.filter(space__kind=SpaceKind.STAFF, as_pseudonym=True).exists()
    assert patient_posts.filter(as_pseudonym=False, author__email=demo.PAT).exists()


def test_a_verified_clinician_answered_the_patients_question(loaded):
    question = Post.objects.get(title="Does metformin have to be taken with food?")
    assert question.kind == PostKind.QUESTION
    assert question.author.email == demo.PATIENT
    answer = question.accepted_comment
    assert answer is not None
    assert answer.author.email == demo.PHYSICIAN
    assert answer.by_verified_clinician
    reply = Comment.objects.get(post=question, parent=answer)
    assert reply.author.email == demo.PATIENT
    assert reply.depth == 1


def test_polls_count_their_votes(loaded):
    for spec in demo.POSTS:
        if spec.kind != PostKind.POLL:
            continue
        poll = Poll.objects.get(post__title=spec.title)
        assert poll.voter_count == len(spec.votes) == poll.ballots.count()
        for option in poll.options.all():
            expected = sum(1 for _, position in spec.votes if position == option.position)
            assert option.vote_count == expected == option.ballots.count()


def test_counters_agree_with_the_rows(loaded):
    for space in Space.objects.all():
        published = space.posts.filter(status=ContentStatus.PUBLISHED)
        assert space.post_count == published.count()
        if published.exists():
            assert space.last_post_at is not None
    for post in Post.objects.all():
        comments = post.comments.filter(status=ContentStatus.PUBLISHED)
        assert post.comment_count == comments.count()
        assert post.reaction_count == post.reactions.count()
    for comment in Comment.objects.all():
        assert comment.reaction_count == comment.reactions.count()
    for hashtag in Hashtag.objects.all():
        uses = PostHashtag.objects.filter(hashtag=hashtag, post__status=ContentStatus.PUBLISHED)
        assert hashtag.post_count == uses.count() > 0
    assert Hashtag.objects.filter(name="metformin").exists()


def test_the_guard_held_one_post_and_a_moderator_approves_another(loaded):
    held = Post.objects.get(hold_reason=HoldReason.PHI)
    assert held.status == ContentStatus.PENDING
    assert held.author.email == demo.HELD_AUTHOR
    assert held.space == _space(demo.HELD_SPACE)
    assert set(held.phi_kinds) >= {"mrn", "date"}
    pending = Post.objects.get(hold_reason=HoldReason.APPROVAL)
    assert (pending.status, pending.title) == (ContentStatus.PENDING, demo.PENDING_TITLE)
    approved = Post.objects.get(title="Compliments we heard this month")
    assert approved.status == ContentStatus.PUBLISHED
    assert approved.moderation_actions.get().action == "approve"
    leader, nurse, grace = _person(demo.LEADER), _person(demo.NURSE), _person(demo.GRACE)
    assert can_see_post(leader, held)  # a moderator of Social Media Champions
    assert can_see_post(nurse, held)  # its author
    assert not can_see_post(grace, held)


def test_one_flag_waits_for_the_moderators(loaded):
    flag = Flag.objects.get()
    assert flag.post is not None
    assert flag.status == FlagStatus.OPEN
    assert flag.reporter.email == demo.FLAG_REPORTER
    assert flag.post.space == _space(demo.LONG_COVID)
    assert flag.post.status == ContentStatus.PUBLISHED


def test_people_follow_people_in_the_staff_network_and_spaces_they_joined(loaded):
    for follower, followed in demo.PERSON_FOLLOWS:
        assert Follow.objects.filter(
            follower__email=follower, followed_user__email=followed
        ).exists()
    patients = [
        demo.PATIENT,
        *(p.email for p in demo.PEOPLE if p.profession == "patient_or_caregiver"),
    ]
    assert not Follow.objects.filter(
        Q(follower__email__in=patients) | Q(followed_user__email__in=patients),
        followed_user__isnull=False,
    ).exists()
    for membership in SpaceMembership.objects.filter(status=MembershipStatus.ACTIVE):
        assert Follow.objects.filter(follower=membership.user, space=membership.space).exists()


def test_the_home_feeds_show_two_weeks_of_life_and_nothing_unreadable(loaded):
    for email in (demo.NURSE, demo.PHYSICIAN, demo.PATIENT, demo.LEADER):
        viewer = _person(email)
        page = home_feed(viewer)
        assert page.items, email
        times = [post.published_at for post in page.items if post.published_at]
        assert len(times) == len(page.items)
        assert times == sorted(times, reverse=True)
        assert (times[0] - times[-1]).days >= 1
        for post in page.items:
            assert can_read_space(viewer, post.space)
    patient_feed = home_feed(_person(demo.PATIENT)).items
    assert {post.space.kind for post in patient_feed} == {SpaceKind.PATIENT}


def test_private_spaces_stay_private(loaded):
    research = _space(demo.RESEARCH)
    assert research.visibility == SpaceVisibility.PRIVATE
    assert can_read_space(_person(demo.PHYSICIAN), research)
    assert not can_read_space(_person(demo.GRACE), research)  # asked, not yet approved
    assert not can_read_space(_person(demo.NURSE), research)
    group = _space(demo.BREAST_CANCER)
    assert not can_read_space(_person(demo.PATIENT), group)


def test_published_demo_posts_are_searchable(loaded):
    pacing = Post.objects.get(title="Pacing: what finally worked for me")
    assert pacing.pk in search_ids(POST_KIND, "pacing")
    held = Post.objects.get(hold_reason=HoldReason.PHI)
    assert held.pk not in search_ids(POST_KIND, "night team")
