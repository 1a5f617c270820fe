"""The library's search page: ranked results with highlighted snippets, facets and filters, the
resources the person may request access to, and chapter hits.

Everything shown comes from ``selectors.search.library_search``, which keeps to what the person
may open (and, for the "request access" group, to titles and summaries of listed resources).
The page works without JavaScript: the filters are links and a GET form.
"""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from ..models import Audience, ResourceType, Topic
from ..selectors.search import (
    MATCH_LIMIT,
    MAX_QUERY_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    PAGE_SIZE,
    SearchFilters,
    SearchResults,
    library_search,
)

FACET_TITLES = {"type": "Type", "topic": "Topic", "audience": "Audience", "year": "Year"}
FACET_VALUES_SHOWN = 12
MAX_PAGE = math.ceil(MATCH_LIMIT / PAGE_SIZE)


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search the library",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text="Titles, summaries, full text of documents and chapters. Every word must match.",
    )
    type = forms.ChoiceField(label="Type", required=False)
    topic = forms.ChoiceField(label="Topic", required=False)
    audience = forms.ChoiceField(label="Audience", required=False)
    year = forms.IntegerField(label="Year", required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("type", ResourceType.choices, "Any type")
        self._choices("audience", Audience.choices, "Any audience")
        self._choices("topic", list(Topic.objects.values_list("slug", "name")), "Any topic")

    def _choices(self, name: str, choices: Any, empty: str) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [("", empty), *choices]

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            type=data.get("type") or "",
            topic=data.get("topic") or "",
            audience=data.get("audience") or "",
            year=data.get("year"),
        )


def _link(params: QueryDict, **changes: str | None) -> str:
    """This page's query string with some parameters changed (None removes one); the page
    number is dropped, since any change starts at the first page."""
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    return "?" + query.urlencode()


def _page_number(text: str) -> int:
    """The page asked for, 1 when it is not a page number; at most the last reachable page."""
    number = int(text) if text.isdigit() and len(text) <= 4 else 1
    return min(max(number, 1), MAX_PAGE)


def _groups(request: HttpRequest, form: SearchForm) -> HttpResponse:
    """The side groups (chapters; resources the person may request access to) on their own:
    the search page loads them after its results (htmx). Without htmx, the whole page with
    them inline (``groups=1``)."""
    params = request.GET.copy()
    params.pop("part", None)
    response: HttpResponse
    if request.headers.get("HX-Request") != "true":
        params["groups"] = "1"
        response = redirect(f"{request.path}?{params.urlencode()}")
    else:
        results = library_search(
            request.user,
            form.cleaned_data["q"].strip(),
            filters=form.filters(),
            with_results=False,
        )
        response = render(request, "library/search/_groups.html", {"results": results})
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "searched": False, "query": ""}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        if request.GET.get("part") == "groups":
            return _groups(request, form)
        query = form.cleaned_data["q"].strip()
        number = _page_number(request.GET.get("page", ""))
        filters = form.filters()
        # The side groups come in a second request (``_groups``), unless asked for inline.
        inline_groups = request.GET.get("groups") == "1"

        def page(number: int) -> SearchResults:
            return library_search(
                request.user,
                query,
                filters=filters,
                limit=PAGE_SIZE,
                offset=(number - 1) * PAGE_SIZE,
                with_restricted=inline_groups,
                with_chapters=inline_groups,
            )

        results = page(number)
        pages = max(1, math.ceil(results.count / PAGE_SIZE))
        if number > pages:  # past the end (an old link): the last page instead
            number = pages
            results = page(number)
        params = request.GET.copy()
        params.pop("groups", None)
        groups_params = params.copy()
        groups_params.pop("page", None)
        facets = []
        for name, title in FACET_TITLES.items():
            values = results.facets.get(name, [])[:FACET_VALUES_SHOWN]
            facets.append(
                {
                    "name": name,
                    "title": title,
                    "values": [
                        {
                            "value": value,
                            "url": _link(params, **{name: None if value.selected else value.value}),
                        }
                        for value in values
                    ],
                }
            )
        chosen = [
            {
                "name": FACET_TITLES[name],
                "value": value,
                "remove_url": _link(params, **{name: None}),
            }
            for name, value in filters.as_dict().items()
        ]
        previous_url = next_url = ""
        if number > 1:
            previous_url = _link(params, page=str(number - 1) if number > 2 else None)
        if number < pages:
            next_url = _link(params, page=str(number + 1))
        context.update(
            searched=True,
            query=query,
            results=results,
            facets=facets,
            chosen=chosen,
            clear_url=_link(QueryDict(mutable=True), q=query),
            page_number=number,
            pages=pages,
            previous_url=previous_url,
            next_url=next_url,
            start=results.offset + 1,
            is_searchable=results.is_searchable,
            inline_groups=inline_groups,
            groups_url=f"?{groups_params.urlencode()}&part=groups",
            groups_page_url=f"?{groups_params.urlencode()}&groups=1",
        )
    return render(request, "library/search/search.html", context)
