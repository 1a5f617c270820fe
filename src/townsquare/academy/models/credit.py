"""Continuing-education credit: what an activity offers, its disclosures, evaluations and claims."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from townsquare.core.models import TimeStampedModel

from .catalog import Course


class CreditType(models.TextChoices):
    AMA_PRA_1 = "ama_pra_1", "AMA PRA Category 1 Credit™"
    NURSING = "nursing", "Nursing contact hours (ANCC)"
    ACPE = "acpe", "ACPE pharmacy CE"
    GENERAL = "general", "General CE (certificate of participation)"


class CreditActivity(TimeStampedModel):
    """The CE credit one course or one event offers.

    A course's activity links to it here. Another app's activity (an event's) has no course: that
    app holds the link, records who completed the activity through ``activity_completion_record``
    and names it in ``title``.
    """

    course = models.OneToOneField(
        Course, null=True, blank=True, on_delete=models.CASCADE, related_name="credit_activity"
    )
    title = models.CharField(
        max_length=250, blank=True, help_text="The activity's name when it is not a course."
    )
    credit_type = models.CharField(max_length=12, choices=CreditType.choices)
    max_hours = models.DecimalField(max_digits=5, decimal_places=2)
    objectives = models.TextField(help_text="Markdown list of learning objectives.")
    accreditation_statement = models.TextField(blank=True)
    # ACPE universal activity number, e.g. 0000-0000-26-001-H04-P.
    activity_number = models.CharField(max_length=40, blank=True)
    released_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "credit activities"
        constraints = [
            models.CheckConstraint(condition=Q(max_hours__gt=0), name="credit_max_hours_positive"),
            models.CheckConstraint(
                condition=Q(course__isnull=False) | ~Q(title=""), name="credit_has_activity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_credit_type_display()} — {self.max_hours} h"


class ActivityCompletion(models.Model):
    """Someone completed an activity that is not a course (attended an event), recorded by the app
    that runs it; CE evaluations and claims for such activities require one."""

    activity = models.ForeignKey(
        CreditActivity, on_delete=models.CASCADE, related_name="completions"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    completed_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "user"], name="activity_completion_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} completed {self.activity_id} on {self.completed_on}"


class DisclosureRole(models.TextChoices):
    FACULTY = "faculty", "Faculty"
    PLANNER = "planner", "Planner"
    REVIEWER = "reviewer", "Reviewer"


class Disclosure(models.Model):
    """A financial disclosure of someone who taught or planned an activity."""

    activity = models.ForeignKey(
        CreditActivity, on_delete=models.CASCADE, related_name="disclosures"
    )
    person_name = models.CharField(max_length=200)
    role = models.CharField(max_length=10, choices=DisclosureRole.choices)
    # Empty means "no relevant financial relationships".
    relationships = models.TextField(blank=True)
    mitigation = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["activity", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.role})"

    @property
    def has_relationships(self) -> bool:
        return bool(self.relationships.strip())


class Evaluation(TimeStampedModel):
    """A learner's post-activity evaluation; the questions are fixed in ``services.credit``."""

    activity = models.ForeignKey(
        CreditActivity, on_delete=models.PROTECT, related_name="evaluations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "user"], name="evaluation_once")]

    def __str__(self) -> str:
        return f"Evaluation by {self.user_id} of {self.activity_id}"


class CreditClaim(TimeStampedModel):
    """Credit claimed by a learner after completion, evaluation and attestation."""

    activity = models.ForeignKey(CreditActivity, on_delete=models.PROTECT, related_name="claims")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credit_claims"
    )
    credit_type = models.CharField(max_length=12, choices=CreditType.choices)
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    completed_on = models.DateField()
    attested_at = models.DateTimeField()
    # Identifiers the credit type needs: nursing licence, NABP e-Profile id with birth month/day.
    license_number = models.CharField(max_length=40, blank=True)
    license_state = models.CharField(max_length=40, blank=True)
    nabp_eprofile_id = models.CharField(max_length=10, blank=True)
    birth_month = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "user"], name="credit_claim_once"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="credit_claim_hours_positive"),
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_month__gte=1, birth_month__lte=12),
                name="credit_claim_birth_month",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True) | Q(birth_day__gte=1, birth_day__lte=31),
                name="credit_claim_birth_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours} h {self.credit_type} for {self.user_id}"
