"""Learning: enrollments and progress, quiz attempts, programs (learning paths) and cohorts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from townsquare.core.models import TimeStampedModel

from .catalog import AccessTier, Choice, Course, Lesson, Question, Quiz


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", "In progress"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Enrollment(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(
        max_length=10, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ACTIVE
    )
    # Set when an organization leader enrolled this person for their staff.
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cohort = models.ForeignKey(
        "Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="enrollments"
    )
    disclosures_seen_at = models.DateTimeField(null=True, blank=True)
    last_lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrollment_once_per_course"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="enrollment_completed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["course", "status"]),
            models.Index(fields=["user", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.course}"

    @property
    def is_completed(self) -> bool:
        return self.status == EnrollmentStatus.COMPLETED


class LessonProgress(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson"], name="progress_once_per_lesson"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrollment}: {self.lesson}"


class QuizAttempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField()
    # The questions drawn for this attempt, in the order shown.
    question_ids = models.JSONField(default=list)
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    is_passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["quiz", "user", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user", "number"], name="attempt_number_unique"
            ),
            # At most one open attempt per quiz and learner.
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=Q(submitted_at__isnull=True),
                name="attempt_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} attempt {self.number} at {self.quiz}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class QuizAnswer(models.Model):
    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choices = models.ManyToManyField(Choice, blank=True, related_name="+")
    text = models.CharField(max_length=500, blank=True)
    is_correct = models.BooleanField(default=False)
    points = models.DecimalField(max_digits=5, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="answer_once_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.attempt}: {self.question_id}"


class Program(TimeStampedModel):
    """A learning path: courses (and, once the events module exists, events) in order."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(help_text="Markdown.")
    access_tier = models.CharField(
        max_length=10, choices=AccessTier.choices, default=AccessTier.MEMBER
    )
    is_published = models.BooleanField(default=False)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ProgramItem(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="items")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="program_items")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["program", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "course"], name="program_course_once")
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.course}"


class ProgramEnrollment(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_enrollments"
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="enrollments")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "program"], name="program_enrollment_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.program}"


class Cohort(TimeStampedModel):
    """A run of a course or a program, with dates, instructors and mentors."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="cohorts"
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.PROTECT, related_name="cohorts"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    mentee_limit = models.PositiveSmallIntegerField(
        default=8, help_text="The most mentees one mentor may have."
    )
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty for no limit.")

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(course__isnull=False) & Q(program__isnull=True))
                | (Q(course__isnull=True) & Q(program__isnull=False)),
                name="cohort_runs_course_or_program",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="cohort_dates"
            ),
            models.CheckConstraint(condition=Q(mentee_limit__gte=1), name="cohort_mentee_limit"),
        ]

    def __str__(self) -> str:
        return self.title


class CohortRole(models.TextChoices):
    LEARNER = "learner", "Learner"
    MENTOR = "mentor", "Mentor"
    INSTRUCTOR = "instructor", "Instructor"


class CohortMember(TimeStampedModel):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    role = models.CharField(max_length=12, choices=CohortRole.choices, default=CohortRole.LEARNER)
    # For learners: their mentor in this cohort (a member with the mentor role).
    mentor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="mentees"
    )

    class Meta:
        ordering = ["cohort", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="cohort_member_once"),
            models.CheckConstraint(
                condition=Q(mentor__isnull=True) | Q(role="learner"),
                name="cohort_only_learners_have_mentors",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.cohort}"
