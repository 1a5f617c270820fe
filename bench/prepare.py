"""Credentials for the benchmark, made inside Django against the benchmark database.

    python bench/prepare.py issue EMAIL    prints {"token": ..., "session_cookie": ..., ...} as JSON
    python bench/prepare.py revoke EMAIL   revokes the person's benchmark API tokens
    python bench/prepare.py academy -      prints an enrolled learner of the large demo, their
                                           enrollment and a lesson, for the Academy targets

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


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in {"issue", "revoke", "academy"}:
        sys.stderr.write(__doc__ or "")
        return 2
    action, email = argv
    django.setup()
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
