"""Search documents for the directory: people and organizations, through core.search.

Only people the directory lists are indexed (active, not deleted, with a professional role): the
index never holds patients' names, and their entries cannot crowd professionals out of the
ranked ids the directory filters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import translation
from django_countries import countries

from townsquare.core.search import (
    Document,
    markdown_text,
    search_ids,
    search_index_many,
    search_remove,
    search_source,
)

from .models import (
    Organization,
    OrganizationKind,
    OrganizationMembership,
    Profession,
    User,
    UserRole,
)
from .permissions import PROFESSIONAL_ROLES

PERSON = "person"
ORGANIZATION = "organization"
BATCH_SIZE = 1000
# Documents are stemmed as English, so labels and country names are indexed in English too.
INDEX_LANGUAGE = "en"

_PROFESSION_LABELS = dict(Profession.choices)
_KIND_LABELS = dict(OrganizationKind.choices)


def person_search_ids(query: str, limit: int = 500) -> list[int]:
    return search_ids(PERSON, query, limit=limit)


def organization_search_ids(query: str, limit: int = 500) -> list[int]:
    return search_ids(ORGANIZATION, query, limit=limit)


def listed_people() -> QuerySet[User]:
    """The people the directory lists; selectors.person_list shows the same set."""
    return User.objects.filter(is_active=True, deleted_at__isnull=True).filter(
        Exists(UserRole.objects.filter(user=OuterRef("pk"), role__in=PROFESSIONAL_ROLES))
    )


def person_document_update(person_id: int) -> None:
    """Index a person as they are now, or take them out when the directory no longer lists them."""
    documents = _person_documents(listed_people().filter(pk=person_id))
    if documents:
        search_index_many(PERSON, documents)
    else:
        search_remove(PERSON, person_id)


def organization_document_update(organization_id: int) -> None:
    """Index an organization, and its members again: their documents carry its name."""
    documents = _organization_documents(Organization.objects.filter(pk=organization_id))
    if not documents:
        search_remove(ORGANIZATION, organization_id)
        return
    search_index_many(ORGANIZATION, documents)
    members = listed_people().filter(memberships__organization_id=organization_id)
    search_index_many(PERSON, _in_batches(members, _person_documents))


@search_source(PERSON)
def person_documents() -> Iterator[Document]:
    return _in_batches(listed_people(), _person_documents)


@search_source(ORGANIZATION)
def organization_documents() -> Iterator[Document]:
    return _in_batches(Organization.objects.all(), _organization_documents)


def _in_batches(
    queryset: QuerySet[Any], build: Callable[[QuerySet[Any]], list[Document]]
) -> Iterator[Document]:
    """Documents for every row, a batch of rows (and a fixed number of queries) at a time."""
    last_id = 0
    while True:
        ids = list(
            queryset.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE]
        )
        if not ids:
            return
        yield from build(queryset.model.objects.filter(pk__in=ids))
        last_id = ids[-1]


def _person_documents(people: QuerySet[User]) -> list[Document]:
    rows = list(
        people.order_by("pk").values(
            "pk",
            "display_name",
            "title",
            "credentials",
            "profession",
            "bio",
            "primary_organization__name",
        )
    )
    organization_names = _organization_names_by_person([row["pk"] for row in rows])
    with translation.override(INDEX_LANGUAGE):
        return [
            Document(
                object_id=row["pk"],
                title=row["display_name"],
                keywords=_lines(
                    [
                        row["title"],
                        row["credentials"],
                        _PROFESSION_LABELS.get(row["profession"]),
                        row["primary_organization__name"],
                        *organization_names[row["pk"]],
                    ]
                ),
                body=markdown_text(row["bio"]),
            )
            for row in rows
        ]


def _organization_names_by_person(person_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    memberships = (
        OrganizationMembership.objects.filter(user_id__in=person_ids)
        .order_by("user_id", "organization__name")
        .values_list("user_id", "organization__name")
    )
    for person_id, name in memberships:
        names[person_id].append(name)
    return names


def _organization_documents(organizations: QuerySet[Organization]) -> list[Document]:
    rows = organizations.order_by("pk").values("pk", "name", "kind", "country", "description")
    with translation.override(INDEX_LANGUAGE):
        return [
            Document(
                object_id=row["pk"],
                title=row["name"],
                keywords=_lines([_KIND_LABELS.get(row["kind"]), countries.name(row["country"])]),
                body=markdown_text(row["description"]),
            )
            for row in rows
        ]


def _lines(values: Iterable[str | None]) -> str:
    """Distinct non-empty values, one per line, in their first order."""
    return "\n".join(dict.fromkeys(str(value) for value in values if value))
