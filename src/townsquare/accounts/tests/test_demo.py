"""The demo data: the hand-written demo and the large synthetic one load once and can sign in."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client

from townsquare.accounts import demo, demo_large
from townsquare.accounts.models import (
    Organization,
    OrganizationMembership,
    OrganizationRole,
    Role,
    User,
    UserRole,
)
from townsquare.community import demo as community_demo
from townsquare.core.audit import audit_verify
from townsquare.core.models import AuditRecord

pytestmark = pytest.mark.django_db

PEOPLE, ORGANIZATIONS = 200, 10


def counts() -> dict[str, int]:
    models = (User, Organization, OrganizationMembership, UserRole, EmailAddress, AuditRecord)
    return {model.__name__: model.objects.count() for model in models}


def load_large(people: int = PEOPLE, organizations: int = ORGANIZATIONS) -> str:
    output = StringIO()
    demo_large.load_large(output, people=people, organizations=organizations, progress=False)
    return output.getvalue()


def expected_specs(people: int = PEOPLE, organizations: int = ORGANIZATIONS):
    return demo_large.person_specs(people, demo_large.organization_specs(organizations))


def large_loads() -> int:
    return AuditRecord.objects.filter(action="demo.large_loaded").count()


def test_small_demo_loads_once_and_keeps_the_audit_chain_intact():
    call_command("demo", stdout=StringIO())
    first = counts()

    output = StringIO()
    call_command("demo", stdout=output)

    assert counts() == first
    # The community's demo adds its own cast (patients, colleagues) beside the sign-ins.
    assert first["User"] == len(demo.PEOPLE) + len(community_demo.PEOPLE)
    assert first["Organization"] == len(demo.ORGANIZATIONS)
    assert "already present; unchanged" in output.getvalue()
    result = audit_verify()
    assert result.is_intact, result.reason
    assert result.checked == first["AuditRecord"]


@pytest.mark.parametrize("person", demo.PEOPLE, ids=lambda person: person.who)
def test_every_demo_sign_in_signs_in_with_the_demo_password(person):
    demo.load_small()

    assert Client().login(email=person.email, password=demo.DEMO_PASSWORD)


def test_demo_people_have_their_roles_and_organizations():
    demo.load_small()

    for person in demo.PEOPLE:
        user = User.objects.get(email=person.email)
        assert user.role_set == frozenset(person.roles)
        assert EmailAddress.objects.filter(
            user=user, email=person.email, verified=True, primary=True
        ).exists()
        if person.organization:
            membership = user.memberships.get()
            assert membership.organization.name == person.organization
            assert membership.role == person.organization_role


def test_large_demo_inserts_the_planned_rows_with_one_audit_record():
    demo.load_small()
    before = counts()

    output = load_large()

    specs = expected_specs()
    after = counts()
    assert after["User"] - before["User"] == PEOPLE
    assert after["Organization"] - before["Organization"] == ORGANIZATIONS
    assert after["EmailAddress"] - before["EmailAddress"] == PEOPLE
    assert after["UserRole"] - before["UserRole"] == sum(len(spec.roles) for spec in specs)
    assert after["OrganizationMembership"] - before["OrganizationMembership"] == sum(
        len(spec.memberships) for spec in specs
    )
    assert after["AuditRecord"] - before["AuditRecord"] == 1
    record = AuditRecord.objects.get(action="demo.large_loaded")
    assert record.actor_label == demo.PEOPLE[0].email
    assert record.data["created"]["accounts.people"] == PEOPLE
    assert record.data["created"]["accounts.organizations"] == ORGANIZATIONS
    assert audit_verify().is_intact
    assert "Large demo done in" in output


def test_large_demo_is_realistic_enough_to_sign_in_and_browse():
    load_large()

    synthetic = User.objects.filter(email__in=[spec.email for spec in expected_specs()])
    assert synthetic.count() == PEOPLE
    assert not EmailAddress.objects.filter(user__in=synthetic, verified=False).exists()
    roles = Counter(UserRole.objects.filter(user__in=synthetic).values_list("role", flat=True))
    assert roles[Role.MEMBER] > roles[Role.PATIENT] > 0
    memberships = Counter(
        OrganizationMembership.objects.filter(user__in=synthetic).values_list("user_id", flat=True)
    )
    assert Counter(memberships.values())[1] > PEOPLE / 2
    assert Counter(memberships.values())[2] > 0
    for organization in Organization.objects.filter(
        slug__in=[spec.slug for spec in demo_large.organization_specs(ORGANIZATIONS)]
    ):
        leaders = organization.memberships.filter(role=OrganizationRole.LEADER).count()
        assert leaders in {1, 2}, organization
    assert set(Organization.objects.values_list("kind", flat=True)) >= {
        "health_system",
        "hospital",
        "clinic",
        "association",
        "industry",
    }
    member = synthetic.exclude(primary_organization=None).earliest("pk")
    assert member.memberships.filter(organization=member.primary_organization).exists()
    assert Client().login(email=member.email, password=demo.DEMO_PASSWORD)


def test_large_demo_signs_in_through_the_real_sign_in_form():
    load_large(people=20, organizations=5)
    person = User.objects.filter(email=expected_specs(20, 5)[7].email).get()

    response = Client().post(
        "/accounts/login/", {"login": person.email, "password": demo.DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_large_demo_runs_again_without_duplicating_anything():
    load_large()
    first = counts()

    output = load_large()

    assert counts() == first
    assert large_loads() == 1
    assert "already loaded" in output
    assert audit_verify().is_intact


def test_large_demo_tops_up_when_asked_for_more_people():
    load_large(people=100)
    first = counts()

    load_large(people=PEOPLE)

    grown = counts()
    assert grown["User"] - first["User"] == PEOPLE - 100
    assert grown["Organization"] == first["Organization"]
    assert grown["EmailAddress"] - first["EmailAddress"] == PEOPLE - 100
    assert large_loads() == 2
    assert User.objects.filter(email__in=[s.email for s in expected_specs()]).count() == PEOPLE


def test_the_same_scale_always_describes_the_same_people():
    assert expected_specs(50) == expected_specs(PEOPLE)[:50]
    emails = [spec.email for spec in expected_specs(2000, 100)]
    assert len(set(emails)) == len(emails)
    assert not set(emails) & {person.email for person in demo.PEOPLE}


def test_other_apps_add_their_own_generator(monkeypatch):
    seen: dict[str, int] = {}

    def extra(large: demo_large.LargeDemo) -> dict[str, int]:
        seen["people"] = len(large.person_ids)
        seen["organizations"] = len(large.organization_ids)
        return {"widgets": 0}

    monkeypatch.setitem(demo_large._generators, "widgets.extra", extra)

    load_large()

    assert seen == {"people": PEOPLE, "organizations": ORGANIZATIONS}
    assert list(demo_large.generators())[-1] == "widgets.extra"


def test_the_demo_command_loads_the_large_demo(monkeypatch):
    monkeypatch.setattr(demo_large, "DEFAULT_PEOPLE", 30)
    monkeypatch.setattr(demo_large, "DEFAULT_ORGANIZATIONS", 4)
    output = StringIO()

    call_command("demo", "--scale", "large", stdout=output)

    assert User.objects.count() == len(demo.PEOPLE) + len(community_demo.PEOPLE) + 30
    assert Organization.objects.count() == len(demo.ORGANIZATIONS) + 4
    assert "Large demo done in" in output.getvalue()
    assert "search" in output.getvalue()
