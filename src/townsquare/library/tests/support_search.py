"""Test data for library search: a small library where each resource carries a secret word of
its own in its body (never in its title or summary), so a test can tell exactly whose text
reached whom."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import MatrixPeople, make_matrix_people

from ..models import Access, Resource, ResourceStatus, ResourceType, Topic
from .factories import make_resource, make_topic

# Every resource's title says "quokka"; its body has "secret<name>".
SHARED_WORD = "quokka"
KINDS: dict[str, dict[str, Any]] = {
    "public": {"access": Access.PUBLIC},
    "member": {"access": Access.MEMBER},
    "premium": {"access": Access.PREMIUM},
    "staff": {"access": Access.STAFF},
    "org": {"access": Access.ORGANIZATION},
    "org_unlisted": {"access": Access.ORGANIZATION, "is_listed": False},
    "member_unlisted": {"access": Access.MEMBER, "is_listed": False},
    "draft": {"access": Access.PUBLIC, "status": ResourceStatus.DRAFT},
    "withdrawn": {"access": Access.PUBLIC, "status": ResourceStatus.WITHDRAWN},
}


def secret(name: str) -> str:
    return "secret" + name.replace("_", "") + "zz"


@dataclass
class SearchWorld:
    matrix: MatrixPeople
    resources: dict[str, Resource]
    topic: Topic

    @property
    def people(self) -> dict[str, User | None]:
        return self.matrix.people


def searchable_library(matrix: MatrixPeople | None = None) -> SearchWorld:
    matrix = matrix or make_matrix_people()
    topic = make_topic("Patient privacy")
    resources = {}
    for name, fields in KINDS.items():
        options: dict[str, Any] = dict(fields)
        if options["access"] == Access.ORGANIZATION:
            options["organization"] = matrix.organization
        resources[name] = make_resource(
            title=f"Quokka {name.replace('_', ' ')} guide",
            summary=f"Summary of the {name.replace('_', ' ')} guide.",
            body=f"The {secret(name)} body of this guide talks about wallabies.",
            kind=ResourceType.GUIDELINE,
            topics=(topic,),
            **options,
        )
    return SearchWorld(matrix, resources, topic)


def many_resources(count: int, *, word: str = "numbat", **fields: Any) -> list[Resource]:
    return [
        make_resource(
            title=f"{word.capitalize()} resource {index}",
            body=f"Text about the {word} number {index}.",
            **fields,
        )
        for index in range(count)
    ]
