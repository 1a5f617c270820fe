"""Test helpers of the access section: a small library with restricted resources, people of
every kind (``make_matrix_people``), a pending request and a grant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import MatrixPeople, make_matrix_people

from ..models import Access, AccessGrant, AccessRequest, Resource, ResourceUsage
from ..services import access as services
from .factories import make_resource


@dataclass
class AccessScene:
    cast: MatrixPeople
    people: dict[str, User | None]
    org_private: Resource  # listed, private to the matrix organization (its leader decides)
    staff_only: Resource  # listed, staff access, no organization (center staff decide)
    unlisted: Resource  # private to the organization and unlisted: invisible to outsiders
    pending: AccessRequest  # the member asks for org_private
    grant: AccessGrant  # the patient was given staff_only

    def person(self, role: str) -> User:
        return _person(self.people, role)


def _person(people: dict[str, User | None], role: str) -> User:
    found = people[role]
    assert found is not None
    return found


def access_scene() -> AccessScene:
    cast = make_matrix_people()
    organization = cast.organization
    org_private = make_resource(
        title="Matrix Hospital social-media handbook",
        access=Access.ORGANIZATION,
        organization=organization,
    )
    staff_only = make_resource(title="Crisis communication playbook", access=Access.STAFF)
    unlisted = make_resource(
        title="Board minutes on the incident",
        access=Access.ORGANIZATION,
        organization=organization,
        is_listed=False,
    )
    people = cast.people
    member, patient, staff = (_person(people, role) for role in ("member", "patient", "staff"))
    pending = services.access_request_create(
        actor=member, resource=org_private, reason="I train our nurses."
    )
    asked = services.access_request_create(actor=patient, resource=staff_only)
    services.access_decide(actor=staff, access_request=asked, decision=services.GRANT)
    grant = AccessGrant.objects.get(resource=staff_only, person=patient)
    for user in people.values():
        if user is not None:  # forget what the gates cached while the scene was built
            user.__dict__.pop("_library_grants", None)
    return AccessScene(cast, people, org_private, staff_only, unlisted, pending, grant)


def fresh(user: User) -> User:
    """The person loaded again, without the gates' cached grants and organizations."""
    return User.objects.get(pk=user.pk)


def usage_rows(resource: Resource, counts: dict[date, tuple[int, int]]) -> None:
    ResourceUsage.objects.bulk_create(
        ResourceUsage(resource=resource, month=month, views=views, downloads=downloads)
        for month, (views, downloads) in counts.items()
    )
