"""Test data built through the real services, not raw inserts."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import factory

from townsquare.accounts import services
from townsquare.accounts.models import (
    Organization,
    OrganizationMembership,
    OrganizationRole,
    Role,
    User,
)

PASSWORD = "correct-horse-battery-9"
_sequence = itertools.count(1)


def make_user(
    *,
    roles: tuple[str, ...] = (Role.MEMBER,),
    email: str | None = None,
    display_name: str | None = None,
    profession: str = "nurse",
    **fields: object,
) -> User:
    number = next(_sequence)
    return services.user_create(
        email=email or f"person{number}@example.org",
        password=PASSWORD,
        display_name=display_name or f"Person {number}",
        profession=profession,
        roles=roles,
        **fields,  # type: ignore[arg-type]
    )


def make_staff(**fields: object) -> User:
    return make_user(roles=(Role.STAFF, Role.MEMBER), is_staff=True, **fields)  # type: ignore[arg-type]


def make_organization(
    *, leader: User | None = None, name: str | None = None, **fields: object
) -> Organization:
    number = next(_sequence)
    actor = make_staff()
    organization = services.organization_create(
        actor=actor,
        name=name or f"Hospital {number}",
        kind=str(fields.pop("kind", "hospital")),
        country=str(fields.pop("country", "US")),
        **fields,  # type: ignore[arg-type]
    )
    if leader is not None:
        services.membership_add(
            actor=actor, organization=organization, email=leader.email, role=OrganizationRole.LEADER
        )
    return organization


class OrganizationFactory(factory.django.DjangoModelFactory):
    """For bulk data where the services' audit trail is not the point (e.g. query-count tests)."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Clinic {n}")
    slug = factory.Sequence(lambda n: f"clinic-{n}")
    kind = "clinic"
    country = "US"


# The people every permission matrix tests against (see core/testing/matrix.py).
MATRIX_ROLES = [
    "anonymous",
    "patient",
    "member",
    "outsider",
    "org_member",
    "leader",
    "moderator",
    "staff",
]


@dataclass
class MatrixPeople:
    """One person per matrix role: ``org_member`` and ``leader`` belong to ``organization``,
    ``outsider`` to another one; ``member`` is the professional whose things the rows touch."""

    people: dict[str, User | None]
    organization: Organization
    membership: OrganizationMembership  # org_member's

    @property
    def member(self) -> User:
        member = self.people["member"]
        assert member is not None
        return member


def make_matrix_people() -> MatrixPeople:
    leader = make_user(display_name="Lena Leader")
    org_member = make_user(display_name="Omar Orgmember")
    outsider = make_user(display_name="Otto Outsider")
    organization = make_organization(leader=leader, name="Matrix Hospital")
    other = make_organization(name="Other Clinic")
    staff_actor = make_staff()
    membership = services.membership_add(
        actor=staff_actor, organization=organization, email=org_member.email
    )
    services.membership_add(actor=staff_actor, organization=other, email=outsider.email)
    people: dict[str, User | None] = {
        "anonymous": None,
        "patient": make_user(roles=(Role.PATIENT,), profession="patient_or_caregiver"),
        "member": make_user(display_name="Mia Member"),
        "outsider": outsider,
        "org_member": org_member,
        "leader": leader,
        "moderator": make_user(roles=(Role.MODERATOR, Role.MEMBER)),
        "staff": make_staff(),
    }
    return MatrixPeople(people, organization, membership)
