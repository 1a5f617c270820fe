"""The catalog's browse filters."""

from __future__ import annotations

from typing import Any

from django import forms

from ..models import Access, Audience, ResourceType, Topic
from ..selectors.catalog import EARLIEST_YEAR, LATEST_YEAR, CatalogFilters


class CatalogFilterForm(forms.Form):
    type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Any type"), *ResourceType.choices]
    )
    topic = forms.ChoiceField(label="Topic", required=False)
    audience = forms.ChoiceField(
        label="Audience", required=False, choices=[("", "Any audience"), *Audience.choices]
    )
    year = forms.IntegerField(
        label="Year",
        required=False,
        min_value=EARLIEST_YEAR,
        max_value=LATEST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "e.g. 2025"}),
    )
    language = forms.ChoiceField(label="Language", required=False)
    access = forms.ChoiceField(
        label="Who may open it", required=False, choices=[("", "Anyone"), *Access.choices]
    )

    def __init__(
        self,
        *args: Any,
        topics: list[Topic] | None = None,
        languages: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "Any topic")] + [  # type: ignore[attr-defined]
            (topic.slug, topic.name) for topic in topics or []
        ]
        self.fields["language"].choices = [("", "Any language")] + [  # type: ignore[attr-defined]
            (code, code) for code in languages or []
        ]

    def filters(self) -> CatalogFilters:
        """The filters of a valid form; none of an invalid one (its errors are shown)."""
        if not self.is_bound or not self.is_valid():
            return CatalogFilters()
        data = self.cleaned_data
        return CatalogFilters(
            kind=data.get("type") or "",
            topic=data.get("topic") or "",
            audience=data.get("audience") or "",
            year=data.get("year"),
            language=data.get("language") or "",
            access=data.get("access") or "",
        )

    @property
    def is_filtered(self) -> bool:
        return self.filters() != CatalogFilters()
