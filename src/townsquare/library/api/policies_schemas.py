"""Schemas of the policy builder API. No `from __future__ import annotations` here."""

from datetime import date
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from townsquare.core.models import MAX_OBJECT_ID

from ..models import PolicyDraft

Key = Annotated[str, StringConstraints(max_length=60)]
Choices = dict[Key, Key]
CHOICES_DESCRIPTION = (
    "Clause key → option key; an empty option key (or a missing clause) leaves a clause that is "
    "not required out."
)


class OptionOut(Schema):
    key: str
    label: str
    text: str
    is_default: bool


class ClauseOut(Schema):
    key: str
    title: str
    explanation: str
    position: int
    is_required: bool
    options: list[OptionOut]

    @staticmethod
    def resolve_options(obj: object) -> list[object]:
        return list(obj.options.all())  # type: ignore[attr-defined]


class DraftCreateIn(Schema):
    organization_id: int = Field(..., ge=1, le=MAX_OBJECT_ID)
    title: str = Field("", max_length=300, description="Default: “Social media policy”.")
    contact_name: str = Field("", max_length=200, description="Default: your name.")
    contact_email: str = Field("", max_length=254, description="Default: your email.")
    contact_phone: str = Field("", max_length=40)
    effective_on: date | None = None
    choices: Choices | None = Field(
        None, max_length=100, description=CHOICES_DESCRIPTION + " Default: the recommended ones."
    )


class DraftUpdateIn(Schema):
    title: str = Field(..., max_length=300)
    contact_name: str = Field(..., max_length=200)
    contact_email: str = Field(..., max_length=254)
    contact_phone: str = Field("", max_length=40)
    effective_on: date | None = None
    choices: Choices = Field(..., max_length=100, description=CHOICES_DESCRIPTION)


class BuildIn(Schema):
    change_note: str = Field("", max_length=500)


class SectionOut(Schema):
    number: int
    title: str
    text: str


class DraftOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    title: str
    contact_name: str
    contact_email: str
    contact_phone: str
    effective_on: date | None
    choices: dict[str, str]
    resource_id: int | None
    resource_slug: str | None
    current_version: int | None
    builder_url: str
    docx_url: str | None
    pdf_url: str | None

    @staticmethod
    def resolve_organization_name(obj: PolicyDraft) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_resource_slug(obj: PolicyDraft) -> str | None:
        return obj.resource.slug if obj.resource is not None else None

    @staticmethod
    def resolve_current_version(obj: PolicyDraft) -> int | None:
        resource = obj.resource
        if resource is None or resource.current_version is None:
            return None
        return resource.current_version.number

    @staticmethod
    def resolve_builder_url(obj: PolicyDraft) -> str:
        from django.urls import reverse

        return reverse("library:policy_build", args=[obj.pk])

    @staticmethod
    def resolve_docx_url(obj: PolicyDraft) -> str | None:
        from django.urls import reverse

        if obj.resource_id is None:
            return None
        return reverse("library:policy_download", args=[obj.pk, "docx"])

    @staticmethod
    def resolve_pdf_url(obj: PolicyDraft) -> str | None:
        from django.urls import reverse

        if obj.resource_id is None:
            return None
        return reverse("library:policy_download", args=[obj.pk, "pdf"])


class DraftDetailOut(DraftOut):
    sections: list[SectionOut] = Field(description="The policy as it stands, filled in.")

    @staticmethod
    def resolve_sections(obj: PolicyDraft) -> list[object]:
        from ..services.policies import policy_compose

        return list(policy_compose(obj).sections)


class BuildOut(Schema):
    draft: DraftOut
    resource_id: int
    resource_slug: str
    version: int
    created: bool = Field(description="Whether this build created the library resource.")
    files: list[str] = Field(description="The stored files' names: the DOCX and the PDF.")
