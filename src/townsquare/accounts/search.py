"""Search documents for people and organizations (the directory), through core.search."""

from __future__ import annotations


def person_search_ids(query: str, limit: int = 500) -> list[int]:
    from townsquare.core.search import search_ids

    return search_ids("person", query, limit=limit)


def organization_search_ids(query: str, limit: int = 500) -> list[int]:
    from townsquare.core.search import search_ids

    return search_ids("organization", query, limit=limit)


def person_document_update(person_id: int) -> None:
    raise NotImplementedError  # the search helper replaces this module


def organization_document_update(organization_id: int) -> None:
    raise NotImplementedError  # the search helper replaces this module
