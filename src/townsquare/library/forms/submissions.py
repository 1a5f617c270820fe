"""Forms of submissions and review: the submission itself, resubmitting, the reviewers' decision
and comments, the queue's filters."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from townsquare.accounts.models import Organization
from townsquare.core.errors import ValidationFailed

from ..models import Access, Audience, License, ResourceType, Topic
from ..selectors.submissions import QUEUE_ORDERS, QUEUE_STATUSES
from ..services.resources import (
    MAX_AUTHORS,
    MAX_FILES_PER_VERSION,
    AuthorInput,
    ResourceFields,
    file_validate,
)
from ..services.review import MAX_COMMENT, Decision, SubmissionContent

LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SubmissionForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=[("", "Choose a type"), *ResourceType.choices])
    title = forms.CharField(max_length=300)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        help_text="A few sentences: what it is and who it is for. Shown in the catalog.",
    )
    authors = forms.CharField(
        label="Authors (people)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10_000,
        help_text="One name per line, as they should be cited.",
    )
    corporate_authors = forms.CharField(
        label="Authors (organizations)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=10_000,
        help_text="One organization per line, e.g. your hospital when it is the author.",
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    audience = forms.ChoiceField(choices=Audience.choices, initial=Audience.EVERYONE)
    language = forms.CharField(
        max_length=12, initial="en", help_text="A language code, e.g. en or es."
    )
    published_on = forms.DateField(
        label="Publication date", required=False, widget=DATE, help_text="When the work came out."
    )
    license = forms.ChoiceField(choices=License.choices, initial=License.ALL_RIGHTS)
    doi = forms.CharField(label="DOI", max_length=200, required=False)
    isbn = forms.CharField(label="ISBN", max_length=20, required=False)
    review_by = forms.DateField(
        label="Review by",
        required=False,
        widget=DATE,
        help_text="Policies and guidelines: when they should be reviewed next.",
    )
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        empty_label="None (my own)",
        help_text="The organization it comes from; required when private to it.",
    )
    access = forms.ChoiceField(
        label="Who may open it",
        choices=Access.choices,
        initial=Access.PUBLIC,
        help_text="Everyone sees the title and summary of a listed resource.",
    )
    is_listed = forms.BooleanField(
        label="List it in the catalog for people who may not open it (title and summary only)",
        required=False,
        initial=True,
    )
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        max_length=200_000,
        help_text="Markdown. Give the text, or upload files, or both.",
    )
    documents = MultipleFileField(
        label="Files",
        required=False,
        help_text=f"PDF, Word (.docx), PowerPoint (.pptx) or images; up to "
        f"{MAX_FILES_PER_VERSION} files.",
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        topics = self.fields["topics"]
        organization = self.fields["organization"]
        assert isinstance(topics, forms.ModelMultipleChoiceField)  # noqa: S101 - narrows the type
        assert isinstance(organization, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        topics.queryset = Topic.objects.order_by("name")
        organization.queryset = Organization.objects.filter(memberships__user_id=user.pk).order_by(
            "name"
        )
        self.fields["documents"].widget.attrs["accept"] = (
            ".pdf,.docx,.pptx,.png,.jpg,.jpeg,.gif,.webp"
        )
        if editing:
            self.fields["change_note"] = forms.CharField(
                label="What changed",
                max_length=500,
                required=False,
                help_text="For the reviewers, e.g. “Added the contact section you asked for”.",
            )
            self.fields["keep_files"] = forms.BooleanField(
                label="Keep the files already uploaded", required=False, initial=True
            )
            self.fields["documents"].label = "Add files"

    def clean_documents(self) -> list[Any]:
        uploads = self.cleaned_data["documents"]
        if len(uploads) > MAX_FILES_PER_VERSION:
            raise ValidationError(f"Upload at most {MAX_FILES_PER_VERSION} files at once.")
        checked = []
        for upload in uploads:
            try:
                checked.append(file_validate(upload))
            except ValidationFailed as error:
                raise ValidationError(error.message) from error
        return checked

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        authors = _lines(data.get("authors", "")) + _lines(data.get("corporate_authors", ""))
        if len(authors) > MAX_AUTHORS:
            self.add_error("authors", f"Name at most {MAX_AUTHORS} authors.")
        if data.get("access") == Access.ORGANIZATION and not data.get("organization"):
            self.add_error("organization", "Choose the organization it is private to.")
        kind = data.get("kind")
        if data.get("review_by") and kind not in {ResourceType.POLICY, ResourceType.GUIDELINE}:
            self.add_error("review_by", "Only policies and guidelines have a review-by date.")
        has_content = data.get("body", "").strip() or data.get("documents")
        if not (self.editing or has_content or "documents" in self.errors):
            self.add_error("body", "Add the text or upload at least one file.")
        return data

    def resource_fields(self) -> ResourceFields:
        data = self.cleaned_data
        people = [AuthorInput(name=name[:200]) for name in _lines(data["authors"])]
        organizations = [
            AuthorInput(name=name[:200], is_organization=True)
            for name in _lines(data["corporate_authors"])
        ]
        organization = data.get("organization")
        return ResourceFields(
            kind=data["kind"],
            title=data["title"],
            summary=data["summary"],
            audience=data["audience"],
            language=data["language"],
            published_on=data.get("published_on"),
            license=data["license"],
            doi=data.get("doi", ""),
            isbn=data.get("isbn", ""),
            review_by=data.get("review_by"),
            access=data["access"],
            organization_id=organization.pk if organization else None,
            is_listed=bool(data.get("is_listed")),
            topic_ids=[topic.pk for topic in data.get("topics") or []],
            authors=people + organizations,
        )

    def content(self) -> SubmissionContent:
        data = self.cleaned_data
        return SubmissionContent(
            body=data.get("body", ""),
            files=data.get("documents") or [],
            change_note=data.get("change_note", ""),
        )


def initial_from(resource: Any) -> dict[str, Any]:
    """The submission form filled with what the resource says now."""
    authors = list(resource.authors.all())
    version = resource.current_version
    return {
        "kind": resource.kind,
        "title": resource.title,
        "summary": resource.summary,
        "authors": "\n".join(a.name for a in authors if not a.is_organization),
        "corporate_authors": "\n".join(a.name for a in authors if a.is_organization),
        "topics": [topic.pk for topic in resource.topics.all()],
        "audience": resource.audience,
        "language": resource.language,
        "published_on": resource.published_on,
        "license": resource.license,
        "doi": resource.doi,
        "isbn": resource.isbn,
        "review_by": resource.review_by,
        "organization": resource.organization_id,
        "access": resource.access,
        "is_listed": resource.is_listed,
        "body": version.body if version is not None else "",
        "keep_files": True,
    }


class ResubmitForm(forms.Form):
    comment = forms.CharField(
        label="Note for the reviewers",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_COMMENT,
        help_text="Optional: what you changed.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "resubmit_%s")  # the page has a comment form too
        super().__init__(*args, **kwargs)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=MAX_COMMENT,
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_COMMENT,
        help_text="Seen by the submitter and the reviewers.",
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label="Decision", choices=Decision.CHOICES, widget=forms.RadioSelect)
    publish_at = forms.DateTimeField(
        label="Publish on",
        required=False,
        widget=LOCAL,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=f"Only for “approve and publish on a date”; time zone "
        f"{timezone.get_default_timezone_name()}.",
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_COMMENT,
        help_text="Required to ask for changes or to reject: the submitter reads it.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "decision_%s")  # the page has a comment form too
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action in Decision.NEEDS_COMMENT and not data.get("comment", "").strip():
            self.add_error("comment", "Say what needs to change or why: the submitter reads this.")
        if action == Decision.APPROVE_ON_DATE and not data.get("publish_at"):
            self.add_error("publish_at", "Choose the date and time to publish it.")
        return data

    def publish_at_aware(self) -> datetime.datetime | None:
        value = self.cleaned_data.get("publish_at")
        if value is None or self.cleaned_data.get("action") != Decision.APPROVE_ON_DATE:
            return None
        return timezone.make_aware(value.replace(tzinfo=None))


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[*QUEUE_STATUSES, ("all", "Any status")],
        initial="submitted",
    )
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Any type"), *ResourceType.choices]
    )
    q = forms.CharField(label="Title contains", required=False, max_length=200)
    order = forms.ChoiceField(label="Sort by", required=False, choices=QUEUE_ORDERS)
