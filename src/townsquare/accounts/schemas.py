from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import EmailStr, field_validator

from .models import OrganizationKind, OrganizationRole, Profession


class OrganizationRef(Schema):
    id: int
    slug: str
    name: str


class MembershipOfMe(Schema):
    organization: OrganizationRef
    role: OrganizationRole


class PersonOut(Schema):
    id: int
    display_name: str
    title: str
    profession: Profession
    credentials: str
    organization: OrganizationRef | None = Field(None, alias="primary_organization")
    has_avatar: bool

    @staticmethod
    def resolve_has_avatar(obj: object) -> bool:
        return bool(getattr(obj, "avatar", None))


class PersonDetailOut(PersonOut):
    bio: str


class MeOut(PersonDetailOut):
    email: str
    roles: list[str]
    organizations: list[MembershipOfMe]
    is_center_staff: bool

    @staticmethod
    def resolve_roles(user: Any) -> list[str]:
        return sorted(user.role_set)

    @staticmethod
    def resolve_organizations(user: Any) -> list[Any]:
        return list(user.memberships.select_related("organization"))

    @staticmethod
    def resolve_is_center_staff(user: Any) -> bool:
        from .permissions import is_center_staff

        return is_center_staff(user)


class ProfileIn(Schema):
    """A partial update: only the fields sent change. ``null`` clears a text field."""

    display_name: str | None = Field(None, min_length=1, max_length=120)
    title: str | None = Field(None, max_length=120)
    profession: Profession | None = None
    credentials: str | None = Field(None, max_length=120)
    bio: str | None = Field(None, max_length=4000)
    primary_organization_id: int | None = None

    @field_validator("title", "credentials", "bio", mode="after")
    @classmethod
    def null_clears(cls, value: str | None) -> str:
        return value or ""

    @field_validator("display_name", "profession", mode="after")
    @classmethod
    def null_is_not_allowed(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null")
        return value


class OrganizationOut(Schema):
    id: int
    slug: str
    name: str
    kind: OrganizationKind
    country: str
    website: str
    description: str
    member_count: int | None = None

    @staticmethod
    def resolve_country(obj: object) -> str:
        return str(getattr(obj, "country", ""))


class OrganizationIn(Schema):
    name: str = Field(..., min_length=2, max_length=200)
    kind: OrganizationKind
    country: str = Field(..., min_length=2, max_length=2, description="ISO 3166 alpha-2 code")
    website: str = Field("", max_length=200)
    description: str = Field("", max_length=4000)
    email_domain: str = Field("", max_length=200)


class MemberOut(Schema):
    id: int
    person: PersonOut = Field(..., alias="user")
    role: OrganizationRole


class MemberIn(Schema):
    email: EmailStr
    role: OrganizationRole = OrganizationRole.MEMBER


class MemberRoleIn(Schema):
    role: OrganizationRole


class InvitationOut(Schema):
    id: int
    email: str
    role: OrganizationRole
    expires_at: datetime
    created_at: datetime


class InvitationIn(Schema):
    email: EmailStr
    role: OrganizationRole = OrganizationRole.MEMBER
