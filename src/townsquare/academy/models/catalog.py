"""The catalog: courses, modules, lessons, attachments, and quizzes with their question bank."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from townsquare.accounts.models import Profession
from townsquare.core.models import TimeStampedModel


class AccessTier(models.TextChoices):
    """Who may enroll. Until the membership module exists, tiers come from roles
    (see ``academy.permissions.tier_of``)."""

    PUBLIC = "public", "Public"
    MEMBER = "member", "Members"
    PREMIUM = "premium", "Premium members"
    STAFF = "staff", "Center staff"


TIER_ORDER = [AccessTier.PUBLIC, AccessTier.MEMBER, AccessTier.PREMIUM, AccessTier.STAFF]


class Level(models.TextChoices):
    INTRODUCTORY = "introductory", "Introductory"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class Topic(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CourseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Course(TimeStampedModel):
    code = models.CharField(max_length=20, unique=True, help_text="For example GSM 103.")
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="Markdown; shown in the catalog and on the course page.")
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.INTRODUCTORY)
    topics = models.ManyToManyField(Topic, blank=True, related_name="courses")
    language = models.CharField(max_length=10, default="en")
    estimated_hours = models.DecimalField(max_digits=5, decimal_places=2, default=1)
    access_tier = models.CharField(
        max_length=10, choices=AccessTier.choices, default=AccessTier.MEMBER
    )
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="courses_taught"
    )
    cover_image = models.ImageField(upload_to="academy/covers/", blank=True)
    status = models.CharField(
        max_length=10, choices=CourseStatus.choices, default=CourseStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["status", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_published(self) -> bool:
        return self.status == CourseStatus.PUBLISHED


class CourseAudience(models.Model):
    """One profession a course is written for (a course may have several, or none = everyone)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="audience")
    profession = models.CharField(max_length=32, choices=Profession.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "profession"], name="course_audience_unique")
        ]
        indexes = [models.Index(fields=["profession", "course"])]

    def __str__(self) -> str:
        return self.get_profession_display()


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["course", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class LessonKind(models.TextChoices):
    TEXT = "text", "Text"
    VIDEO = "video", "Video"
    ATTACHMENTS = "attachments", "Downloads"
    DISCUSSION = "discussion", "Discussion"
    QUIZ = "quiz", "Quiz"


class Lesson(TimeStampedModel):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    # Denormalized from the module so course-wide lesson queries need no join.
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=LessonKind.choices, default=LessonKind.TEXT)
    body = models.TextField(blank=True, help_text="Markdown.")
    video_url = models.URLField(blank=True)
    captions = models.FileField(upload_to="academy/captions/", blank=True)
    transcript = models.TextField(blank=True)
    discussion_prompt = models.TextField(blank=True)
    is_required = models.BooleanField(default=True)
    estimated_minutes = models.PositiveIntegerField(default=10)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["module__position", "position", "pk"]
        indexes = [models.Index(fields=["course", "position"])]
        constraints = [
            # A video needs captions or a transcript (accessibility); checked again in services
            # for the captions file, which the database cannot see.
            models.CheckConstraint(
                condition=~Q(kind="video") | ~Q(video_url=""),
                name="lesson_video_has_url",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class LessonAttachment(TimeStampedModel):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="academy/attachments/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["lesson", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Quiz(models.Model):
    """The quiz of a quiz lesson: a question bank; each attempt draws from it in random order."""

    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="quiz")
    pass_mark = models.PositiveSmallIntegerField(default=80, help_text="Percent needed to pass.")
    attempt_limit = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty for unlimited attempts."
    )
    questions_per_attempt = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Drawn at random from the bank; empty for all questions."
    )

    class Meta:
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0, pass_mark__lte=100), name="quiz_pass_mark_percent"
            ),
            models.CheckConstraint(
                condition=Q(attempt_limit__isnull=True) | Q(attempt_limit__gte=1),
                name="quiz_attempt_limit_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Quiz: {self.lesson}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    TRUE_FALSE = "true_false", "True or false"
    SHORT = "short", "Short answer"


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(
        max_length=12, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    prompt = models.TextField(help_text="Markdown.")
    explanation = models.TextField(blank=True, help_text="Feedback shown after submission.")
    # Short answers: compared case- and space-insensitively after submission.
    accepted_answers = models.JSONField(default=list, blank=True)
    points = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["quiz", "position", "pk"]

    def __str__(self) -> str:
        return self.prompt[:60]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    feedback = models.CharField(max_length=500, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["question", "position", "pk"]

    def __str__(self) -> str:
        return self.text
