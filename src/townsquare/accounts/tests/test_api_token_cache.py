"""A token's owner is kept in the cache between calls, and never once the token or the person has
changed: revoked, deleted, deactivated, moved out of an organization."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone

from townsquare.core import stamps

from .. import services
from ..models import ApiToken, OrganizationRole
from .factories import make_organization, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    return services.api_token_create(user=make_user(), name="reporting")


def test_a_second_call_reads_no_token_from_the_database(issued, django_assert_num_queries):
    assert services.api_token_authenticate(issued.raw) == issued.token.user

    with django_assert_num_queries(0):
        again = services.api_token_authenticate(issued.raw)

    assert again == issued.token.user


def test_a_revoked_token_is_refused_on_the_next_call(issued):
    services.api_token_authenticate(issued.raw)

    services.api_token_revoke(user=issued.token.user, token_id=issued.token.pk)

    assert services.api_token_authenticate(issued.raw) is None


def test_a_deleted_token_is_refused_on_the_next_call(issued):
    services.api_token_authenticate(issued.raw)

    ApiToken.objects.filter(pk=issued.token.pk).delete()

    assert services.api_token_authenticate(issued.raw) is None


def test_a_deactivated_person_is_refused_on_the_next_call(issued):
    services.api_token_authenticate(issued.raw)
    person = issued.token.user

    person.is_active = False
    person.save()

    assert services.api_token_authenticate(issued.raw) is None


def test_leaving_ones_primary_organization_is_seen_on_the_next_call():
    organization = make_organization()
    person = make_user()
    membership = organization.memberships.create(user=person, role=OrganizationRole.MEMBER)
    person.primary_organization = organization
    person.save()
    raw = services.api_token_create(user=person, name="reporting").raw
    before = services.api_token_authenticate(raw)
    assert before is not None
    assert before.primary_organization_id == organization.pk

    services.membership_remove(actor=person, membership=membership)

    after = services.api_token_authenticate(raw)
    assert after is not None
    assert after.primary_organization_id is None


def test_the_kept_person_carries_nothing_a_request_remembered(issued):
    first = services.api_token_authenticate(issued.raw)
    first.__dict__["_remembered_by_a_request"] = ["roles"]

    again = services.api_token_authenticate(issued.raw)

    assert again is not first
    assert "_remembered_by_a_request" not in again.__dict__


def test_a_lost_stamp_means_the_database_again(issued, django_assert_num_queries):
    services.api_token_authenticate(issued.raw)
    cache.delete(f"accounts:api-token-stamp:{issued.token.token_hash}")

    with django_assert_num_queries(1):
        assert services.api_token_authenticate(issued.raw) == issued.token.user


def test_last_use_is_still_written_once_a_minute(issued):
    services.api_token_authenticate(issued.raw)
    first = ApiToken.objects.get(pk=issued.token.pk).last_used_at
    assert first is not None
    services.api_token_authenticate(issued.raw)  # from the cache, within the minute
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at == first

    later = timezone.now() + timedelta(seconds=61)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        services.api_token_authenticate(issued.raw)

    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at == later


def test_a_stamp_is_bumped_at_once_and_again_at_the_commit():
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        stamps.bump("tests:stamp")
        during = cache.get("tests:stamp")
    assert during is not None
    for callback in callbacks:
        callback()

    # Anything kept under ``during`` was read before the commit: it is not served after it.
    assert cache.get("tests:stamp") not in {None, during}


def test_a_revocation_committed_during_the_lookup_is_not_hidden_by_it(
    issued, monkeypatch, django_assert_num_queries
):
    """No stamp yet; the token is revoked (and the revocation commits) just after it was read as
    valid. What was read must not be kept under the revocation's own stamp."""
    real = ApiToken.objects.select_related

    def read_then_revoked(*args, **kwargs):
        services.api_tokens_changed([issued.token.token_hash])
        return real(*args, **kwargs)

    cache.delete(f"accounts:api-token-stamp:{issued.token.token_hash}")
    monkeypatch.setattr(ApiToken.objects, "select_related", read_then_revoked)
    services.api_token_authenticate(issued.raw)
    monkeypatch.undo()

    with django_assert_num_queries(1):  # from the database again, not from the cache
        services.api_token_authenticate(issued.raw)
