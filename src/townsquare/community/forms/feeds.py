"""The search form of the community (the words, posts or comments, one space)."""

from __future__ import annotations

from typing import Any

from django import forms

from ..models import Space
from ..selectors.search import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text="Every word must match; the last one may be the start of a word.",
    )
    kind = forms.ChoiceField(
        label="Look in",
        choices=[("post", "Posts"), ("comment", "Comments")],
        required=False,
    )
    space = forms.ChoiceField(label="Space", required=False)

    def __init__(self, *args: Any, spaces: list[Space], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        space_field = self.fields["space"]
        assert isinstance(space_field, forms.ChoiceField)  # noqa: S101 - declared above
        space_field.choices = [
            ("", "Every space I can read"),
            *((space.slug, space.name) for space in spaces),
        ]

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or "post"
