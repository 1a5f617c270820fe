"""Credentials: certificates for courses and programs, the fellowship ladder and its submissions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from townsquare.core.models import TimeStampedModel

from .catalog import Course
from .learning import Program


class CredentialKind(models.TextChoices):
    COURSE = "course", "Course certificate"
    PROGRAM = "program", "Program certificate"
    FELLOWSHIP = "fellowship", "Fellowship"
    ATTENDANCE = "attendance", "Certificate of attendance"


class FellowshipLevel(models.TextChoices):
    BRONZE = "bronze", "Bronze"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"
    PLATINUM = "platinum", "Platinum"


FELLOWSHIP_ORDER = [
    FellowshipLevel.BRONZE,
    FellowshipLevel.SILVER,
    FellowshipLevel.GOLD,
    FellowshipLevel.PLATINUM,
]


class Credential(TimeStampedModel):
    """An issued credential. Never deleted: a withdrawn one is revoked, with a reason."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="academy_credentials"
    )
    kind = models.CharField(max_length=12, choices=CredentialKind.choices)
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="credentials"
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.PROTECT, related_name="credentials"
    )
    level = models.CharField(max_length=10, choices=FellowshipLevel.choices, blank=True)
    # What an attendance certificate is for, named by the app that asked for it ("events.event:12");
    # the academy never reads it beyond keeping one live certificate per person and subject.
    subject_reference = models.CharField(max_length=80, blank=True)
    subject_url = models.URLField(max_length=300, blank=True)
    # What the certificate says, frozen at issue time: later edits to the course don't change it.
    title = models.CharField(max_length=250)
    recipient_name = models.CharField(max_length=200)
    hours = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    credit_statement = models.CharField(max_length=300, blank=True)
    issued_at = models.DateTimeField()
    verification_code = models.CharField(max_length=32, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(kind="course", revoked_at__isnull=True),
                name="credential_one_live_per_course",
            ),
            models.UniqueConstraint(
                fields=["user", "program"],
                condition=Q(kind="program", revoked_at__isnull=True),
                name="credential_one_live_per_program",
            ),
            models.UniqueConstraint(
                fields=["user", "level"],
                condition=Q(kind="fellowship", revoked_at__isnull=True),
                name="credential_one_live_per_level",
            ),
            models.UniqueConstraint(
                fields=["user", "subject_reference"],
                condition=Q(kind="attendance", revoked_at__isnull=True),
                name="credential_one_live_per_subject",
            ),
            models.CheckConstraint(
                condition=(Q(kind="course") & Q(course__isnull=False))
                | (Q(kind="program") & Q(program__isnull=False))
                | (Q(kind="fellowship") & ~Q(level=""))
                | (Q(kind="attendance") & ~Q(subject_reference="")),
                name="credential_kind_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.recipient_name}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    WITHDRAWN = "withdrawn", "Withdrawn"


class FellowshipSubmission(TimeStampedModel):
    """Work submitted for a fellowship level: a strategic plan (Bronze), an implementation report
    (Silver), a presentation of results (Gold). Platinum is awarded by staff without one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fellowship_submissions"
    )
    level = models.CharField(max_length=10, choices=FellowshipLevel.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown.")
    attachment = models.FileField(upload_to="academy/fellowship/", blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    credential = models.OneToOneField(
        Credential, null=True, blank=True, on_delete=models.PROTECT, related_name="submission"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open submission per level at a time.
            models.UniqueConstraint(
                fields=["user", "level"],
                condition=Q(status__in=["draft", "submitted", "changes_requested"]),
                name="submission_one_open_per_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.title}"


class SubmissionComment(TimeStampedModel):
    submission = models.ForeignKey(
        FellowshipSubmission, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(help_text="Markdown.")
    # The review decision this comment came with, if any ("changes_requested", "approved").
    decision = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author_id} on {self.submission_id}"
