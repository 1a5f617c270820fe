"""Forms of the staff pages: resource metadata, versions (several files, the chapters editor),
publishing, withdrawing, topics and collections. They check shapes; the services check rules.

Authors are typed one per line: a person of the platform by their email address, an
organization of the platform as ``org: <its name>``, or any other name as written (a corporate
author not on the platform as ``org: <name>`` too)."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from townsquare.accounts.models import Organization, User
from townsquare.core.errors import ValidationFailed
from townsquare.core.models import MAX_OBJECT_ID
from townsquare.core.uploads import ValidatedUpload, upload_validate

from ..models import (
    Access,
    Audience,
    Collection,
    License,
    Resource,
    ResourceStatus,
    ResourceType,
    Topic,
)
from ..services.collections import CollectionFields
from ..services.resources import (
    MAX_AUTHORS,
    MAX_CHAPTERS,
    MAX_FILES_PER_VERSION,
    AuthorInput,
    ChapterInput,
    ResourceFields,
    cover_kind,
    file_validate,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
ORGANIZATION_PREFIX = "org:"


# --- Resources ------------------------------------------------------------------------------------


def authors_text(resource: Resource) -> str:
    """The authors of a resource as the form shows them, one per line."""
    lines = []
    for author in resource.authors.all():
        if author.person_id is not None and author.person is not None:
            lines.append(author.person.email)
        elif author.is_organization:
            lines.append(f"{ORGANIZATION_PREFIX} {author.name}")
        else:
            lines.append(author.name)
    return "\n".join(lines)


def parse_authors(text: str) -> list[AuthorInput]:
    """One author per line (see the module docstring); unknown emails are an error."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > MAX_AUTHORS:
        raise ValidationError(f"At most {MAX_AUTHORS} authors.")
    emails = {line.lower() for line in lines if "@" in line and " " not in line}
    people = {user.email.lower(): user for user in User.objects.filter(email__in=emails)}
    names = [
        line[len(ORGANIZATION_PREFIX) :].strip()
        for line in lines
        if line.lower().startswith(ORGANIZATION_PREFIX)
    ]
    organizations = {
        organization.name.lower(): organization
        for organization in Organization.objects.filter(name__in=names)
    }
    authors: list[AuthorInput] = []
    for line in lines:
        if line.lower().startswith(ORGANIZATION_PREFIX):
            name = line[len(ORGANIZATION_PREFIX) :].strip()
            if not name:
                raise ValidationError("Write the organization's name after “org:”.")
            organization = organizations.get(name.lower())
            authors.append(
                AuthorInput(
                    name=organization.name if organization else name[:200],
                    organization_id=organization.pk if organization else None,
                    is_organization=True,
                )
            )
        elif "@" in line and " " not in line:
            try:
                validate_email(line)
            except ValidationError as error:
                raise ValidationError(f"“{line}” is not an email address.") from error
            person = people.get(line.lower())
            if person is None:
                raise ValidationError(
                    f"Nobody on Townsquare has the address {line}; write their name instead."
                )
            authors.append(
                AuthorInput(name=person.display_name or person.email, person_id=person.pk)
            )
        else:
            authors.append(AuthorInput(name=line[:200]))
    return authors


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=ResourceType.choices)
    title = forms.CharField(max_length=300)
    summary = forms.CharField(
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A few sentences: what it is and who it is for. Shown to everyone who may know "
        "it exists, also when they may not open it.",
    )
    authors = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: a Townsquare person by email, an organization as “org: Name”, "
        "or anyone else by name.",
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    audience = forms.ChoiceField(choices=Audience.choices, initial=Audience.EVERYONE)
    language = forms.CharField(
        max_length=12, initial="en", help_text="A language code, e.g. en, es, fr."
    )
    published_on = forms.DateField(
        label="Publication date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When the work itself was published.",
    )
    license = forms.ChoiceField(choices=License.choices, initial=License.ALL_RIGHTS)
    doi = forms.CharField(label="DOI", max_length=200, required=False, help_text="e.g. 10.1000/xyz")
    isbn = forms.CharField(label="ISBN", max_length=20, required=False)
    review_by = forms.DateField(
        label="Review by",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Policies and guidelines only: when it must be reviewed next.",
    )
    access = forms.ChoiceField(label="Who may open it", choices=Access.choices)
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        empty_label="No organization",
        help_text="The owning organization; required when private to one organization. Its "
        "leaders may open the resource and decide requests for access.",
    )
    is_listed = forms.BooleanField(
        label="Show the title and summary to people who may not open it",
        required=False,
        initial=True,
    )
    cover = forms.ImageField(required=False, help_text="PNG, JPEG or WebP.")
    cover_alt = forms.CharField(
        label="Cover description",
        max_length=300,
        required=False,
        help_text="For people who cannot see the image (required with a cover).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["organization"].queryset = Organization.objects.order_by("name")  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(resource: Resource) -> dict[str, Any]:
        return {
            "kind": resource.kind,
            "title": resource.title,
            "summary": resource.summary,
            "authors": authors_text(resource),
            "topics": [topic.pk for topic in resource.topics.all()],
            "audience": resource.audience,
            "language": resource.language,
            "published_on": resource.published_on,
            "license": resource.license,
            "doi": resource.doi,
            "isbn": resource.isbn,
            "review_by": resource.review_by,
            "access": resource.access,
            "organization": resource.organization_id,
            "is_listed": resource.is_listed,
            "cover_alt": resource.cover_alt,
        }

    def clean_authors(self) -> list[AuthorInput]:
        return parse_authors(self.cleaned_data.get("authors") or "")

    def clean_cover(self) -> ValidatedUpload | None:
        upload = self.cleaned_data.get("cover")
        if not upload:
            return None
        try:
            return upload_validate(upload, kind=cover_kind(), field_name="cover")
        except ValidationFailed as error:
            raise ValidationError(error.message) from error

    def fields_for_service(self) -> ResourceFields:
        data = self.cleaned_data
        organization = data.get("organization")
        return ResourceFields(
            kind=data["kind"],
            title=data["title"],
            summary=data["summary"],
            audience=data["audience"],
            language=data["language"],
            published_on=data.get("published_on"),
            license=data["license"],
            doi=data.get("doi") or "",
            isbn=data.get("isbn") or "",
            review_by=data.get("review_by"),
            access=data["access"],
            organization_id=organization.pk if organization else None,
            is_listed=bool(data.get("is_listed")),
            topic_ids=[topic.pk for topic in data.get("topics") or []],
            authors=data.get("authors") or [],
            cover=data.get("cover"),
            cover_alt=data.get("cover_alt") or "",
        )


class ManageFilterForm(forms.Form):
    q = forms.CharField(label="Title contains", max_length=200, required=False)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *ResourceStatus.choices], required=False
    )
    kind = forms.ChoiceField(
        label="Type", choices=[("", "Any type"), *ResourceType.choices], required=False
    )
    submissions = forms.ChoiceField(
        label="Made by",
        choices=[("", "Staff and members"), ("no", "Staff"), ("yes", "Members (submissions)")],
        required=False,
    )


# --- Versions -------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the pattern of Django's documentation)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class VersionForm(forms.Form):
    change_note = forms.CharField(
        max_length=500, required=False, help_text="What changed, for readers of the history."
    )
    body = forms.CharField(
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Markdown. Readers see it on the resource page and search finds its words.",
    )
    uploads = MultipleFileField(
        label="Files",
        required=False,
        help_text=f"PDF, Word, PowerPoint or images; up to {MAX_FILES_PER_VERSION} at once. "
        "Text in PDF and Word files becomes searchable after upload.",
    )
    keep_files = forms.BooleanField(
        label="Keep the files of the current version",
        required=False,
        initial=True,
    )

    def clean_uploads(self) -> list[ValidatedUpload]:
        uploads = self.cleaned_data.get("uploads") or []
        if len(uploads) > MAX_FILES_PER_VERSION:
            raise ValidationError(f"At most {MAX_FILES_PER_VERSION} files at once.")
        validated = []
        for upload in uploads:
            try:
                validated.append(file_validate(upload))
            except ValidationFailed as error:
                raise ValidationError(f"{upload.name}: {error.message}") from error
        return validated


class ChapterForm(forms.Form):
    number = forms.IntegerField(
        min_value=1, max_value=MAX_CHAPTERS, required=False, help_text="Order in the book."
    )
    title = forms.CharField(max_length=300, required=False)
    body = forms.CharField(
        required=False, max_length=200_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    remove = forms.BooleanField(label="Remove this chapter", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("remove"):
            return data
        has_text = bool((data.get("title") or "").strip() or (data.get("body") or "").strip())
        if has_text and not (data.get("title") or "").strip():
            self.add_error("title", "Every chapter needs a title.")
        return data


class BaseChapterFormSet(forms.BaseFormSet):
    def chapters(self) -> list[ChapterInput]:
        """The kept chapters, ordered by the numbers typed (ties keep their row order)."""
        rows: list[tuple[int, int, ChapterInput]] = []
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("remove") or not (data.get("title") or "").strip():
                continue
            number = data.get("number") or (MAX_CHAPTERS + index + 1)
            rows.append((number, index, ChapterInput(data["title"], data.get("body") or "")))
        return [chapter for _number, _index, chapter in sorted(rows, key=lambda r: r[:2])]


ChapterFormSet: type[BaseChapterFormSet] = forms.formset_factory(  # type: ignore[assignment]
    ChapterForm,
    formset=BaseChapterFormSet,
    extra=2,
    max_num=MAX_CHAPTERS,
    validate_max=True,
    absolute_max=MAX_CHAPTERS + 2,
)


def chapter_initial(resource: Resource) -> list[dict[str, Any]]:
    version = resource.current_version
    if version is None:
        return []
    return [
        {"number": chapter.number, "title": chapter.title, "body": chapter.body}
        for chapter in version.chapters.order_by("number")
    ]


# --- Publishing -----------------------------------------------------------------------------------


def site_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label="Publish on",
        required=False,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=f"Leave empty to publish now. Times are {settings.TIME_ZONE}.",
    )

    def clean_publish_at(self) -> datetime.datetime | None:
        value = self.cleaned_data.get("publish_at")
        if value is None:
            return None
        naive = timezone.make_naive(value) if timezone.is_aware(value) else value
        aware = naive.replace(tzinfo=site_zone())
        if aware < timezone.now() - datetime.timedelta(minutes=1):
            raise ValidationError("That time has passed: leave it empty to publish now.")
        return aware


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For the record (not shown to readers).",
    )


class TopicForm(forms.Form):
    name = forms.CharField(max_length=80)


# --- Collections ----------------------------------------------------------------------------------


class CollectionForm(forms.Form):
    title = forms.CharField(max_length=300)
    slug = forms.SlugField(
        label="Address",
        max_length=120,
        required=False,
        help_text="The end of its link; made from the title when left empty.",
    )
    summary = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown: what the collection is for and how to use it.",
    )
    is_toolkit = forms.BooleanField(
        label="A toolkit (resources meant to be used together, in order)", required=False
    )

    @staticmethod
    def initial_for(collection: Collection) -> dict[str, Any]:
        return {
            "title": collection.title,
            "slug": collection.slug,
            "summary": collection.summary,
            "is_toolkit": collection.is_toolkit,
        }

    def fields_for_service(self) -> CollectionFields:
        data = self.cleaned_data
        return CollectionFields(
            title=data["title"],
            slug=data.get("slug") or "",
            summary=data.get("summary") or "",
            is_toolkit=bool(data.get("is_toolkit")),
        )


class CollectionItemAddForm(forms.Form):
    resource = forms.CharField(
        label="Resource",
        max_length=300,
        help_text="Its address (the part after /library/r/, or the whole link) or its number.",
    )
    note = forms.CharField(
        max_length=500, required=False, help_text="Why it is here, what to use it for."
    )

    def clean_resource(self) -> Resource:
        value = (self.cleaned_data.get("resource") or "").strip().rstrip("/")
        if "/r/" in value:
            value = value.split("/r/", 1)[1].split("/", 1)[0]
        found = None
        if value.isdigit() and int(value) <= MAX_OBJECT_ID:
            found = Resource.objects.filter(pk=int(value)).first()
        if found is None and value:
            found = Resource.objects.filter(slug=value[:120]).first()
        if found is None:
            raise ValidationError("No resource has that address or number.")
        if found.status in {ResourceStatus.WITHDRAWN, ResourceStatus.REJECTED}:
            raise ValidationError("That resource is withdrawn or rejected; it cannot be added.")
        return found


class CollectionItemMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class CollectionPublishForm(forms.Form):
    publish = forms.ChoiceField(choices=[("yes", "Publish"), ("no", "Unpublish")], initial="yes")
