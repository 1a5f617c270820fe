"""Test helpers of the catalog section: a small library with every kind of visibility."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from townsquare.accounts.tests.factories import MatrixPeople, make_matrix_people

from ..models import (
    Access,
    Collection,
    CollectionItem,
    Resource,
    ResourceFile,
    ResourceStatus,
    ResourceType,
    Topic,
)
from ..services import resources as resource_services
from .factories import make_resource, make_topic, pdf_bytes, upload


@dataclass
class CatalogWorld:
    matrix: MatrixPeople
    topic: Topic
    public: Resource  # a book: two versions, a PDF in the second, three chapters
    member: Resource  # listed, for members
    private: Resource  # listed, private to the matrix organization
    unlisted: Resource  # unlisted, private to the matrix organization
    draft: Resource
    file: ResourceFile  # the public book's PDF
    old_file: ResourceFile  # a PDF of the member resource
    collection: Collection

    @property
    def people(self) -> dict:
        return self.matrix.people


def add_pdf(
    resource: Resource,
    *,
    actor,
    text: str = "Patient privacy",
    name: str = "guide.pdf",
    keep_files: bool = False,
):
    """A new version of ``resource`` with one more PDF (the earlier files kept or not)."""
    version = resource_services.version_create(
        actor=actor,
        resource=resource,
        change_note="Added the PDF",
        body=resource.current_version.body if resource.current_version else "",
        files=[resource_services.file_validate(upload(name, pdf_bytes(text)))],
        keep_files=keep_files,
    )
    return version.files.order_by("-position").first()


def make_catalog_world() -> CatalogWorld:
    matrix = make_matrix_people()
    staff = matrix.people["staff"]
    organization = matrix.organization
    topic = make_topic("Patient privacy")
    public = make_resource(
        title="Social media for clinicians",
        kind=ResourceType.BOOK,
        topics=(topic,),
        authors=("Ada Lovelace", "Grace Hopper"),
        chapters=(
            ("Getting started", "Start *here*."),
            ("Privacy", "Never post PHI."),
            ("End", ""),
        ),
        published_on=datetime.date(2024, 3, 5),
        isbn="9780306406157",
        doi="10.1000/xyz123",
    )
    public_file = add_pdf(public, actor=staff)
    member = make_resource(
        title="Members' guideline",
        kind=ResourceType.GUIDELINE,
        access=Access.MEMBER,
        chapters=(("Only chapter", "For members."),),
    )
    member_file = add_pdf(member, actor=staff, name="members.pdf")
    private = make_resource(
        title="Matrix Hospital policy",
        kind=ResourceType.POLICY,
        access=Access.ORGANIZATION,
        organization=organization,
    )
    unlisted = make_resource(
        title="Matrix Hospital secret plan",
        access=Access.ORGANIZATION,
        organization=organization,
        is_listed=False,
    )
    draft = make_resource(title="Draft white paper", status=ResourceStatus.DRAFT)
    collection = Collection.objects.create(
        slug="starter-kit", title="Starter kit", is_published=True, is_toolkit=True
    )
    CollectionItem.objects.create(collection=collection, resource=public, position=1)
    return CatalogWorld(
        matrix=matrix,
        topic=topic,
        public=public,
        member=member,
        private=private,
        unlisted=unlisted,
        draft=draft,
        file=public_file,
        old_file=member_file,
        collection=collection,
    )
