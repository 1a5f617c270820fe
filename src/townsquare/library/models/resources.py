"""Resources, their numbered versions, files, chapters and authors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from townsquare.core.models import TimeStampedModel


class ResourceType(models.TextChoices):
    TOOLKIT = "toolkit", "Toolkit"
    MANUAL = "manual", "Manual"
    BOOK = "book", "Book"
    WHITE_PAPER = "white_paper", "White paper"
    POLICY = "policy", "Policy"
    GUIDELINE = "guideline", "Guideline"
    TEMPLATE = "template", "Template"
    VIDEO = "video", "Video"
    CASE_STUDY = "case_study", "Case study"


REVIEWED_TYPES = frozenset({ResourceType.POLICY, ResourceType.GUIDELINE})


class Access(models.TextChoices):
    """Who may open a resource. Tiers as in ``accounts.tiers``; ``organization`` is private to
    the owning organization's members (and center staff)."""

    PUBLIC = "public", "Everyone"
    MEMBER = "member", "Members"
    PREMIUM = "premium", "Premium members"
    STAFF = "staff", "Center staff"
    ORGANIZATION = "organization", "Private to one organization"


class Audience(models.TextChoices):
    EVERYONE = "everyone", "Everyone"
    CLINICIANS = "clinicians", "Physicians and clinicians"
    NURSES = "nurses", "Nurses"
    PHARMACISTS = "pharmacists", "Pharmacists"
    COMMUNICATORS = "communicators", "Marketing and communications"
    LEADERS = "leaders", "Leaders and administrators"
    RESEARCHERS = "researchers", "Researchers"
    PATIENTS = "patients", "Patients and caregivers"


class License(models.TextChoices):
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
    CC_BY_NC_ND = "cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0"
    CC0 = "cc0-1.0", "CC0 (public domain)"
    ALL_RIGHTS = "all-rights-reserved", "All rights reserved"


class ResourceStatus(models.TextChoices):
    """Where a resource stands. Staff-made resources start as drafts; members' submissions go
    through review (submitted -> changes requested -> submitted ... -> approved or rejected)."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    REJECTED = "rejected", "Rejected"
    SCHEDULED = "scheduled", "Approved, publishes on a date"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Topic(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=90, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def stored_name(instance: object, filename: str) -> str:
    # Services generate the stored name (core.uploads.generated_name); this only keeps it.
    return filename


class Resource(TimeStampedModel):
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=ResourceType.choices)
    title = models.CharField(max_length=300)
    summary = models.TextField(max_length=3000)
    topics = models.ManyToManyField(Topic, blank=True, related_name="resources")
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    language = models.CharField(max_length=12, default="en", help_text="BCP 47 code, e.g. en, es")
    published_on = models.DateField(
        null=True, blank=True, help_text="The publication date of the work itself."
    )
    license = models.CharField(max_length=30, choices=License.choices, default=License.ALL_RIGHTS)
    doi = models.CharField(max_length=200, blank=True)
    isbn = models.CharField(max_length=20, blank=True)
    cover = models.ImageField(upload_to=stored_name, max_length=200, blank=True)
    cover_alt = models.CharField(max_length=300, blank=True)
    review_by = models.DateField(
        null=True, blank=True, help_text="Policies and guidelines: when to review them next."
    )
    access = models.CharField(max_length=20, choices=Access.choices, default=Access.PUBLIC)
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="library_resources",
        help_text="The owning organization: required when private to one organization.",
    )
    is_listed = models.BooleanField(
        default=True,
        help_text="Show the title and summary (with a request-access button) to people who "
        "may not open it. Unlisted restricted resources are invisible to them.",
    )
    status = models.CharField(
        max_length=20, choices=ResourceStatus.choices, default=ResourceStatus.DRAFT
    )
    publish_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    current_version = models.ForeignKey(
        "ResourceVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_resources_created",
    )
    is_submission = models.BooleanField(
        default=False, help_text="Submitted by a member for review (not made by staff)."
    )
    from_policy_builder = models.BooleanField(default=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="library_res_status_pub"),
            models.Index(fields=["kind", "status"], name="library_res_kind_status"),
            models.Index(fields=["review_by"], name="library_res_review_by"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(access="organization") | Q(organization__isnull=False),
                name="library_resource_private_has_organization",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(publish_at__isnull=False),
                name="library_resource_scheduled_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ResourceStatus.PUBLISHED

    @property
    def has_review_date(self) -> bool:
        return self.kind in REVIEWED_TYPES


class ResourceAuthor(models.Model):
    """An author as credited: a person or an organization of the platform, or a name only."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="authors")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_authorships",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_authorships",
    )
    is_organization = models.BooleanField(
        default=False, help_text="A corporate author (cited as one name, not family, given)."
    )

    class Meta:
        ordering = ["resource", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "position"], name="library_author_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResourceVersion(models.Model):
    """One numbered version: a Markdown body and/or files, with a change note. Never edited
    after it is published; a change makes a new version."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    change_note = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True, max_length=200_000, help_text="Markdown")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_versions_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resource", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "number"], name="library_version_unique_number"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="library_version_number_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} v{self.number}"


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word document"
    PPTX = "pptx", "PowerPoint presentation"
    IMAGE = "image", "Image"


class Extraction(models.TextChoices):
    """Whether a file's text is in the search index."""

    PENDING = "pending", "Waiting for text extraction"
    DONE = "done", "Searchable"
    EMPTY = "empty", "No text found (a scan or images)"
    ENCRYPTED = "encrypted", "Not searchable: password-protected"
    DAMAGED = "damaged", "Not searchable: the file could not be read"
    NOT_APPLICABLE = "not_applicable", "Not searchable (an image)"


MAX_EXTRACTED_CHARACTERS = 500_000


class ResourceFile(models.Model):
    version = models.ForeignKey(ResourceVersion, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=stored_name, max_length=200)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=FileKind.choices)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    title = models.CharField(max_length=200, blank=True, help_text="Shown instead of the name.")
    extraction = models.CharField(
        max_length=20, choices=Extraction.choices, default=Extraction.PENDING
    )
    extracted_text = models.TextField(blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_searchable(self) -> bool:
        return self.extraction == Extraction.DONE


class Chapter(models.Model):
    """A chapter of a book, in one version: its own readable, searchable page."""

    version = models.ForeignKey(ResourceVersion, on_delete=models.CASCADE, related_name="chapters")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(max_length=200_000, help_text="Markdown")

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"], name="library_chapter_unique_number"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="library_chapter_number_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"
