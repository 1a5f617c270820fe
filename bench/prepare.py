"""Credentials for the benchmark, made inside Django against the benchmark database.

    python bench/prepare.py issue EMAIL    prints {"token": ..., "session_cookie": ..., ...} as JSON
    python bench/prepare.py revoke EMAIL   revokes the person's benchmark API tokens
    python bench/prepare.py academy -      prints an enrolled learner of the large demo, their
                                           enrollment and a lesson, for the Academy targets
    python bench/prepare.py events COUNT   creates a fresh published event with a big capacity
                                           and issues COUNT large-demo members each their own
                                           API token; prints the event, its ticket and the tokens
    python bench/prepare.py events-revoke -  revokes every benchmark token the events run issued
    python bench/prepare.py community COUNT  the community targets: a typical large-demo reader
                                           (their token and session), the search terms, and
                                           COUNT people each with a token and a space of theirs
                                           to post in; prints them as JSON
    python bench/prepare.py community-viewer EMAIL  that reader's token and session again, in
                                           another database (the 10,000-post one)
    python bench/prepare.py community-demo POSTS  `townsquare demo --scale large` with POSTS
                                           community posts instead of 1,000,000 (the rest as
                                           usual): the database the feed is compared against

run.py calls it with the same environment (DATABASE_URL, SECRET_KEY, ...) as the server it starts,
so the session it signs is one the server accepts. The token comes from the real service
(``api_token_create``); the session from Django's own login, as the test client's ``force_login``
does, so the benchmark never needs the password nor meets the sign-in rate limit.
"""

from __future__ import annotations

import json
import sys

import django

TOKEN_NAME = "benchmark"  # noqa: S105 - the token's label, not a secret


def _revoke(user) -> int:  # type: ignore[no-untyped-def]
    from townsquare.accounts import services

    tokens = user.api_tokens.filter(name=TOKEN_NAME, revoked_at__isnull=True)
    for token_id in tokens.values_list("pk", flat=True):
        services.api_token_revoke(user=user, token_id=token_id)
    return len(tokens)


def _academy_learner() -> dict[str, object] | None:
    """The first active enrollment of a member in a large-demo course open to members, with that
    course's first lesson (never locked): what the lesson_page and progress_update targets use."""
    from townsquare.academy.demo_large import CODE_PREFIX
    from townsquare.academy.models import AccessTier, Enrollment, EnrollmentStatus, LessonKind

    enrollment = (
        Enrollment.objects.filter(
            course__code__startswith=f"{CODE_PREFIX} ",
            course__access_tier__in=[AccessTier.PUBLIC, AccessTier.MEMBER],
            status=EnrollmentStatus.ACTIVE,
            user__is_active=True,
            user__roles__role="member",
        )
        .select_related("course", "user")
        .order_by("pk")
        .first()
    )
    if enrollment is None:
        return None
    lesson = (
        enrollment.course.lessons.filter(kind=LessonKind.TEXT)
        .order_by("module__position", "position", "pk")
        .first()
    )
    if lesson is None:
        return None
    return {
        "email": enrollment.user.email,
        "enrollment_id": enrollment.pk,
        "course_slug": enrollment.course.slug,
        "lesson_id": lesson.pk,
    }


EVENT_CAPACITY = 1_000_000
EVENT_PEOPLE_LIMIT = 5000


def _events_bench(count: int) -> dict[str, object] | None:
    """A new event for this run (so every person can register again) and one token per person:
    the registrations target is many different people registering for ONE event at once."""
    from datetime import timedelta

    from django.utils import timezone

    from townsquare.academy.models import AccessTier
    from townsquare.accounts import services
    from townsquare.accounts.models import User
    from townsquare.events.models import Event, EventFormat, EventStatus, TicketType
    from townsquare.events.services.events import event_search_sync

    people = list(
        User.objects.filter(
            is_active=True, roles__role="member", email__endswith=".example", is_staff=False
        )
        .exclude(email__endswith="townsquare.example")
        # People who already hold a benchmark token (the academy learner) keep it.
        .exclude(api_tokens__name=TOKEN_NAME, api_tokens__revoked_at__isnull=True)
        .order_by("pk")
        .distinct()[:count]
    )
    if len(people) < count:
        return None
    now = timezone.now()
    starts_at = (now + timedelta(days=30)).replace(microsecond=0)
    event = Event.objects.create(
        slug=f"bench-registrations-{now:%Y%m%d%H%M%S}",
        title="Benchmark summit",
        summary="Thousands of people register for one event at once.",
        description="The event the benchmark registers people for.",
        format=EventFormat.CONFERENCE,
        status=EventStatus.PUBLISHED,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=8),
        time_zone="America/Chicago",
        venue_name="Townsquare Center",
        capacity=EVENT_CAPACITY,
        access_tier=AccessTier.PUBLIC,
        published_at=now,
    )
    ticket = TicketType.objects.create(event=event, name="General admission")
    event_search_sync(event=event)
    tokens = [services.api_token_create(user=person, name=TOKEN_NAME).raw for person in people]
    return {
        "event_id": event.pk,
        "event_slug": event.slug,
        "ticket_type_id": ticket.pk,
        "tokens": tokens,
    }


def _events_revoke() -> int:
    from townsquare.accounts.models import User

    holders = User.objects.filter(
        api_tokens__name=TOKEN_NAME, api_tokens__revoked_at__isnull=True
    ).distinct()
    return sum(_revoke(user) for user in holders)


COMMUNITY_AUTHORS_LIMIT = 500


def _credentials(user) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """A fresh benchmark token and a signed-in session for the person (earlier tokens revoked)."""
    from django.conf import settings
    from django.test import Client

    from townsquare.accounts import services

    _revoke(user)
    issued = services.api_token_create(user=user, name=TOKEN_NAME)
    client = Client()
    client.force_login(user)
    return {
        "email": user.email,
        "user_id": user.pk,
        "token": issued.raw,
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "session_cookie": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }


def _community_reader():  # type: ignore[no-untyped-def]
    """A typical reader of the large demo: in the staff network, following about as many
    people and spaces as the median person who follows people does (lowest id on a tie)."""
    from django.db.models import Count

    from townsquare.accounts.models import User
    from townsquare.community.demo_large import SLUG_PREFIX
    from townsquare.community.models import Follow

    if not Follow.objects.filter(space__slug__startswith=SLUG_PREFIX).exists():
        return None
    followers = (
        Follow.objects.filter(followed_user__isnull=False)
        .values("follower")
        .annotate(follows=Count("follower"))
        .order_by("follows", "follower")
    )
    counts = list(followers.values_list("follower", "follows"))
    if not counts:
        return None
    median = counts[len(counts) // 2][1]
    for follower, follows in counts:
        if follows >= median:
            user = User.objects.filter(pk=follower, is_active=True, is_staff=False).first()
            if user is not None and not user.email.endswith("townsquare.example"):
                return user
    return None


def _community_bench(count: int) -> dict[str, object] | None:
    """The reader (feed, home page, search), the search terms, and ``count`` authors: distinct
    members of open staff spaces without pre-approval, each with a token, each posting in one
    of their spaces (so the posts spread over many spaces, as in real use)."""
    from django.db.models import Count

    from townsquare.accounts import services
    from townsquare.community.demo_large import SEARCH_TERMS, SLUG_PREFIX
    from townsquare.community.models import (
        Follow,
        MembershipStatus,
        SpaceKind,
        SpaceMembership,
        SpaceVisibility,
    )

    reader = _community_reader()
    if reader is None:
        return None
    prepared = _credentials(reader)
    prepared["follows"] = Follow.objects.filter(follower=reader).count()
    prepared["search_terms"] = list(SEARCH_TERMS)
    memberships = (
        SpaceMembership.objects.filter(
            status=MembershipStatus.ACTIVE,
            muted_until__isnull=True,
            space__slug__startswith=SLUG_PREFIX,
            space__kind=SpaceKind.STAFF,
            space__visibility=SpaceVisibility.OPEN,
            space__requires_approval=False,
            user__is_active=True,
        )
        .exclude(user=reader)
        .exclude(user__api_tokens__name=TOKEN_NAME, user__api_tokens__revoked_at__isnull=True)
        .annotate(members=Count("space__memberships"))
        .order_by("user_id", "-members", "space_id")
        .values_list("user_id", "space_id")
    )
    authors: dict[int, int] = {}
    for user_id, space_id in memberships.iterator(chunk_size=2000):
        authors.setdefault(user_id, space_id)
        if len(authors) >= count:
            break
    if len(authors) < count:
        return None
    from townsquare.accounts.models import User

    people = User.objects.in_bulk(list(authors))
    prepared["authors"] = [
        {
            "space_id": space_id,
            "token": services.api_token_create(user=people[user_id], name=TOKEN_NAME).raw,
        }
        for user_id, space_id in authors.items()
    ]
    return prepared


def _community_demo(posts: int) -> dict[str, object]:
    import io
    import time

    from django.core.management import call_command

    from townsquare.community.demo_large import CommunityCounts, counts_override

    started = time.perf_counter()
    output = io.StringIO()
    with counts_override(CommunityCounts(posts=posts)):
        call_command("demo", scale="large", quiet=True, stdout=output)
    sys.stderr.write(output.getvalue())
    return {"posts": posts, "seconds": round(time.perf_counter() - started, 1)}


def main(argv: list[str]) -> int:
    actions = {
        "issue",
        "revoke",
        "academy",
        "events",
        "events-revoke",
        "community",
        "community-viewer",
        "community-demo",
        "community-revoke",
    }
    if len(argv) != 2 or argv[0] not in actions:
        sys.stderr.write(__doc__ or "")
        return 2
    action, email = argv
    django.setup()
    if action == "community-demo":
        if not email.isdigit() or not 1 <= int(email) <= 10_000_000:
            sys.stderr.write("community-demo takes a number of posts, 1 to 10,000,000.\n")
            return 2
        print(json.dumps(_community_demo(int(email))))
        return 0
    if action == "community":
        if not email.isdigit() or not 1 <= int(email) <= COMMUNITY_AUTHORS_LIMIT:
            sys.stderr.write(
                f"community takes a number of authors, 1 to {COMMUNITY_AUTHORS_LIMIT}.\n"
            )
            return 2
        community = _community_bench(int(email))
        if community is None:
            sys.stderr.write(
                "The large demo's community is not there (or too small); run "
                "`demo --scale large`.\n"
            )
            return 1
        print(json.dumps(community))
        return 0
    if action == "community-viewer":
        from townsquare.accounts.models import User

        reader = User.objects.filter(email=email, is_active=True).first()
        if reader is None:
            sys.stderr.write(f"No active account {email} in this database.\n")
            return 1
        print(json.dumps(_credentials(reader)))
        return 0
    if action == "community-revoke":
        print(json.dumps({"revoked": _events_revoke()}))
        return 0
    if action == "events":
        if not email.isdigit() or not 1 <= int(email) <= EVENT_PEOPLE_LIMIT:
            sys.stderr.write(f"events takes a number of people, 1 to {EVENT_PEOPLE_LIMIT}.\n")
            return 2
        prepared = _events_bench(int(email))
        if prepared is None:
            sys.stderr.write("Not enough large-demo members; run `demo --scale large`.\n")
            return 1
        print(json.dumps(prepared))
        return 0
    if action == "events-revoke":
        print(json.dumps({"revoked": _events_revoke()}))
        return 0
    if action == "academy":
        learner = _academy_learner()
        if learner is None:
            sys.stderr.write("No enrolled learner in the large demo; run `demo --scale large`.\n")
            return 1
        print(json.dumps(learner))
        return 0
    from django.conf import settings
    from django.test import Client

    from townsquare.accounts import services
    from townsquare.accounts.models import User

    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        sys.stderr.write(f"No active account {email}; load the demo first.\n")
        return 1
    revoked = _revoke(user)
    if action == "revoke":
        print(json.dumps({"revoked": revoked}))
        return 0
    issued = services.api_token_create(user=user, name=TOKEN_NAME)
    client = Client()
    client.force_login(user)
    print(
        json.dumps(
            {
                "user_id": user.pk,
                "token": issued.raw,
                "session_cookie_name": settings.SESSION_COOKIE_NAME,
                "session_cookie": client.cookies[settings.SESSION_COOKIE_NAME].value,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
