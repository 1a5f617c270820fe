"""The hand-written demo: a few organizations and one sign-in for each kind of person."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from . import services
from .models import OrganizationRole, Profession, Role, User

DEMO_PASSWORD = "townsquare-demo"  # noqa: S105 - documented demo sign-in, never in production


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    who: str
    profession: str
    roles: tuple[str, ...]
    title: str = ""
    credentials: str = ""
    organization: str = ""
    organization_role: str = OrganizationRole.MEMBER


ORGANIZATIONS = [
    {
        "name": "Riverside Health System",
        "kind": "health_system",
        "country": "US",
        "website": "https://riverside-health.example",
        "email_domain": "riverside-health.example",
        "description": "A regional health system with four hospitals and thirty clinics.",
    },
    {
        "name": "Lakeview Children's Hospital",
        "kind": "hospital",
        "country": "US",
        "website": "https://lakeview-childrens.example",
        "email_domain": "lakeview-childrens.example",
        "description": "A 250-bed pediatric teaching hospital.",
    },
    {
        "name": "Northfield Community Clinic",
        "kind": "clinic",
        "country": "CA",
        "website": "https://northfield-clinic.example",
        "email_domain": "",
        "description": "A community primary-care clinic.",
    },
    {
        "name": "Association of Health Communicators",
        "kind": "association",
        "country": "GB",
        "website": "https://health-communicators.example",
        "email_domain": "",
        "description": "A professional association for communications staff in health care.",
    },
]

PEOPLE = [
    DemoPerson(
        "staff@townsquare.example",
        "Morgan Lee",
        "center staff",
        Profession.COMMUNICATIONS,
        (Role.STAFF, Role.MEMBER),
        "Center director",
    ),
    DemoPerson(
        "instructor@townsquare.example",
        "Dr. Priya Raman",
        "instructor",
        Profession.PHYSICIAN,
        (Role.INSTRUCTOR, Role.MEMBER),
        "Digital health educator",
        "MD, MPH",
    ),
    DemoPerson(
        "coach@townsquare.example",
        "Jordan Ellis",
        "coach",
        Profession.COMMUNICATIONS,
        (Role.COACH, Role.MEMBER),
        "Social-media strategy coach",
    ),
    DemoPerson(
        "moderator@townsquare.example",
        "Sam Okafor",
        "moderator",
        Profession.COMMUNICATIONS,
        (Role.MODERATOR, Role.MEMBER),
        "Community moderator",
    ),
    DemoPerson(
        "nurse@riverside-health.example",
        "Ana Ruiz",
        "nurse",
        Profession.NURSE,
        (Role.MEMBER,),
        "Charge nurse, cardiology",
        "RN, BSN",
        "Riverside Health System",
    ),
    DemoPerson(
        "physician@riverside-health.example",
        "Dr. Kwame Mensah",
        "physician",
        Profession.PHYSICIAN,
        (Role.MEMBER,),
        "Hospitalist",
        "MD, FACP",
        "Riverside Health System",
    ),
    DemoPerson(
        "leader@riverside-health.example",
        "Helen Park",
        "organization leader",
        Profession.ADMINISTRATION,
        (Role.MEMBER,),
        "Chief marketing officer",
        "",
        "Riverside Health System",
        OrganizationRole.LEADER,
    ),
    DemoPerson(
        "patient@townsquare.example",
        "Chris Patel",
        "patient",
        Profession.PATIENT_OR_CAREGIVER,
        (Role.PATIENT,),
    ),
]


@transaction.atomic
def load_small() -> bool:
    """Create the demo once. Returns False (and changes nothing) when it is already there."""
    from .models import Organization

    if User.objects.filter(email=PEOPLE[0].email).exists():
        return False
    staff_person = PEOPLE[0]
    staff = services.user_create(
        email=staff_person.email,
        password=DEMO_PASSWORD,
        display_name=staff_person.name,
        profession=staff_person.profession,
        roles=staff_person.roles,
        title=staff_person.title,
        is_staff=True,
        is_superuser=True,
    )
    organizations: dict[str, Organization] = {}
    for data in ORGANIZATIONS:
        organization = services.organization_create(
            actor=staff,
            name=data["name"],
            kind=data["kind"],
            country=data["country"],
            website=data["website"],
            email_domain=data["email_domain"],
            description=data["description"],
        )
        organizations[organization.name] = organization
    for person in PEOPLE[1:]:
        services.user_create(
            email=person.email,
            password=DEMO_PASSWORD,
            display_name=person.name,
            profession=person.profession,
            roles=person.roles,
            title=person.title,
            credentials=person.credentials,
        )
        if person.organization:
            services.membership_add(
                actor=staff,
                organization=organizations[person.organization],
                email=person.email,
                role=person.organization_role,
            )
    return True


def sign_in_table() -> str:
    width = max(len(person.email) for person in PEOPLE)
    lines = ["", "Demo sign-ins (password for all: " + DEMO_PASSWORD + "):"]
    lines += [f"  {person.email.ljust(width)}  {person.who}" for person in PEOPLE]
    lines.append("")
    return "\n".join(lines)
