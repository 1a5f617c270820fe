"""Forms of the post pages. The rules (who may post, the guard, poll and attachment limits) are the
services'; these forms only shape the input and bound its size."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme

from ..models import PostKind, ReactionKind
from ..selectors.posts import PollView
from ..services.posts import MAX_ALT_TEXT
from ..services.publishing import (
    MAX_ATTACHMENTS,
    MAX_COMMENT_BODY,
    MAX_POLL_OPTIONS,
    MAX_POST_BODY,
    MAX_TITLE,
)

MARKDOWN_HELP = (
    "Markdown: **bold**, *italic*, [a link](https://example.org), lists with - or 1. "
    "Mention someone with @handle; tag the topic with #hashtag."
)
CONFIRM_LABEL = "I have checked: this is mine to share"


class PostForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of post",
        choices=PostKind.choices,
        initial=PostKind.DISCUSSION,
        widget=forms.RadioSelect,
        help_text="A question can have an accepted answer; a poll asks people to vote.",
    )
    title = forms.CharField(
        label="Title",
        max_length=MAX_TITLE,
        required=False,
        help_text="Needed for questions and polls.",
    )
    body = forms.CharField(
        label="Text",
        max_length=MAX_POST_BODY,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=MARKDOWN_HELP,
    )
    poll_options = forms.CharField(
        label="Poll options",
        required=False,
        max_length=MAX_POLL_OPTIONS * 201,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"One option per line, 2 to {MAX_POLL_OPTIONS}.",
    )
    poll_allows_multiple = forms.BooleanField(
        label="People may choose more than one option", required=False
    )
    poll_closes_at = forms.DateTimeField(
        label="Voting closes",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Optional. Leave empty to keep the poll open.",
    )
    confirm_phi = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    def __init__(self, *args: Any, attachment_slots: int = MAX_ATTACHMENTS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attachment_slots = attachment_slots
        for number in range(1, attachment_slots + 1):
            self.fields[f"attachment_{number}"] = forms.FileField(
                label=f"File {number}", required=False, max_length=200
            )
            self.fields[f"alt_{number}"] = forms.CharField(
                label=f"Description of file {number}",
                required=False,
                max_length=MAX_ALT_TEXT,
                help_text="Needed for images: what the picture shows, for people who "
                "cannot see it.",
            )

    def options(self) -> list[str]:
        return (self.cleaned_data.get("poll_options") or "").splitlines()

    def attachment_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"attachment_{number}"], self[f"alt_{number}"])
            for number in range(1, self.attachment_slots + 1)
        ]

    def uploads(self) -> list[tuple[str, Any, str]]:
        """(field name, uploaded file, alt text) for each slot with a file."""
        chosen = []
        for number in range(1, self.attachment_slots + 1):
            upload = self.cleaned_data.get(f"attachment_{number}")
            if upload:
                alt = self.cleaned_data.get(f"alt_{number}") or ""
                chosen.append((f"attachment_{number}", upload, alt))
        return chosen


class PostEditForm(forms.Form):
    title = forms.CharField(label="Title", max_length=MAX_TITLE, required=False)
    body = forms.CharField(
        label="Text",
        max_length=MAX_POST_BODY,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=MARKDOWN_HELP,
    )
    confirm_phi = forms.BooleanField(label=CONFIRM_LABEL, required=False)


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=MAX_COMMENT_BODY,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=MARKDOWN_HELP,
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    confirm_phi = forms.BooleanField(label=CONFIRM_LABEL, required=False)


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=MAX_COMMENT_BODY,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
    )
    confirm_phi = forms.BooleanField(label=CONFIRM_LABEL, required=False)


class ReactForm(forms.Form):
    target = forms.ChoiceField(choices=[("post", "Post"), ("comment", "Comment")])
    target_id = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = forms.ChoiceField(choices=ReactionKind.choices)
    next = forms.CharField(required=False, max_length=500)

    def next_url(self, request: Any, fallback: str) -> str:
        wanted = self.cleaned_data.get("next") or ""
        if wanted and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return wanted
        return fallback


class VoteForm(forms.Form):
    def __init__(self, *args: Any, poll: PollView, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(result.option.pk), result.option.label) for result in poll.options]
        if poll.poll.allows_multiple:
            self.fields["options"] = forms.TypedMultipleChoiceField(
                label="Choose one or more",
                choices=choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
            )
        else:
            self.fields["options"] = forms.TypedChoiceField(
                label="Choose one", choices=choices, coerce=int, widget=forms.RadioSelect
            )

    def option_ids(self) -> list[int]:
        chosen = self.cleaned_data["options"]
        return list(chosen) if isinstance(chosen, list) else [chosen]
