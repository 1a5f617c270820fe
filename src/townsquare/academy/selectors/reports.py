"""Staff reports and quiz item analysis, computed with database aggregates (no query per row)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower, Trim

from ..models import (
    Choice,
    Course,
    CreditClaim,
    Enrollment,
    EnrollmentStatus,
    Question,
    QuestionKind,
    Quiz,
    QuizAnswer,
    QuizAttempt,
)

# Kelley's extreme groups: the top and bottom 27% of attempts by total score.
GROUP_FRACTION = Decimal("0.27")
WRONG_ANSWERS_SHOWN = 5


def _count_of(queryset: QuerySet[Any], outer: str) -> Subquery:
    return Subquery(
        queryset.filter(**{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(total=Count("pk"))
        .values("total"),
        output_field=IntegerField(),
    )


def course_report() -> QuerySet[Any]:
    """Every course with enrollments, completions, completion rate, average quiz score and CE
    claims. Subqueries rather than joins, so the counts do not multiply each other."""
    average_score = Subquery(
        QuizAttempt.objects.filter(quiz__lesson__course=OuterRef("pk"), submitted_at__isnull=False)
        .order_by()
        .values("quiz__lesson__course")
        .annotate(average=Avg("score"))
        .values("average"),
        output_field=DecimalField(max_digits=7, decimal_places=2),
    )
    return Course.objects.annotate(
        enrollment_count=Coalesce(_count_of(Enrollment.objects.all(), "course"), Value(0)),
        completion_count=Coalesce(
            _count_of(Enrollment.objects.filter(status=EnrollmentStatus.COMPLETED), "course"),
            Value(0),
        ),
        claim_count=Coalesce(_count_of(CreditClaim.objects.all(), "activity__course"), Value(0)),
        average_score=average_score,
    ).order_by("code")


def completion_rate(course: Any) -> Decimal | None:
    if not course.enrollment_count:
        return None
    return (Decimal(100) * course.completion_count / course.enrollment_count).quantize(
        Decimal("0.1")
    )


REPORT_COLUMNS = [
    "code",
    "title",
    "status",
    "enrollments",
    "completions",
    "completion_rate_percent",
    "average_quiz_score",
    "credit_claims",
]


def course_report_rows() -> list[list[Any]]:
    rows = []
    for course in course_report():
        rate = completion_rate(course)
        rows.append(
            [
                course.code,
                course.title,
                course.status,
                course.enrollment_count,
                course.completion_count,
                "" if rate is None else f"{rate}",
                "" if course.average_score is None else f"{Decimal(course.average_score):.1f}",
                course.claim_count,
            ]
        )
    return rows


# Item analysis ---------------------------------------------------------------------------------


@dataclass
class ChoiceStat:
    choice_id: int
    text: str
    is_correct: bool
    count: int
    percent: Decimal | None


@dataclass
class ItemStat:
    question: Question
    answered: int
    correct: int
    difficulty: Decimal | None  # share answering correctly, 0..1
    discrimination: Decimal | None  # upper-group minus lower-group share correct, -1..1
    choices: list[ChoiceStat] = field(default_factory=list)
    wrong_answers: list[tuple[str, int]] = field(default_factory=list)

    @property
    def percent_correct(self) -> Decimal | None:
        return None if self.difficulty is None else (self.difficulty * 100).quantize(Decimal("0.1"))


@dataclass
class ItemAnalysis:
    quiz: Quiz
    attempt_count: int
    group_size: int
    items: list[ItemStat]


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.01"))


def _extreme_groups(quiz: Quiz) -> tuple[int, list[int], list[int]]:
    scored = list(
        QuizAttempt.objects.filter(quiz=quiz, submitted_at__isnull=False, score__isnull=False)
        .order_by("-score", "pk")
        .values_list("pk", flat=True)
    )
    size = int((GROUP_FRACTION * len(scored)).to_integral_value()) if len(scored) >= 2 else 0
    if size == 0 and len(scored) >= 2:
        size = 1
    return len(scored), scored[:size], scored[len(scored) - size :] if size else []


def item_analysis(quiz: Quiz) -> ItemAnalysis:
    """Per question: answers, share correct, discrimination, choice spread, common wrong
    short answers. A fixed number of queries whatever the number of attempts."""
    attempt_count, upper, lower = _extreme_groups(quiz)
    questions = list(quiz.questions.order_by("position", "pk"))
    answers = QuizAnswer.objects.filter(attempt__quiz=quiz, attempt__submitted_at__isnull=False)
    counts: dict[int, dict[str, Any]] = {
        row["question"]: dict(row)
        for row in answers.order_by()
        .values("question")
        .annotate(
            answered=Count("pk"),
            correct=Count("pk", filter=Q(is_correct=True)),
            upper_answered=Count("pk", filter=Q(attempt_id__in=upper)),
            upper_correct=Count("pk", filter=Q(attempt_id__in=upper, is_correct=True)),
            lower_answered=Count("pk", filter=Q(attempt_id__in=lower)),
            lower_correct=Count("pk", filter=Q(attempt_id__in=lower, is_correct=True)),
        )
    }
    chosen = dict(
        QuizAnswer.choices.through.objects.filter(
            quizanswer__attempt__quiz=quiz, quizanswer__attempt__submitted_at__isnull=False
        )
        .order_by()
        .values("choice")
        .annotate(total=Count("pk"))  # type: ignore[misc]
        .values_list("choice", "total")
    )
    choices_by_question: dict[int, list[Choice]] = defaultdict(list)
    for choice in Choice.objects.filter(question__quiz=quiz).order_by("position", "pk"):
        choices_by_question[choice.question_id].append(choice)
    wrong_by_question: dict[int, list[tuple[str, int]]] = defaultdict(list)
    wrong = (
        answers.filter(question__kind=QuestionKind.SHORT, is_correct=False)
        .exclude(text="")
        .annotate(normalized=Lower(Trim("text")))
        .order_by()
        .values("question", "normalized")
        .annotate(total=Count("pk"))
        .order_by("question", "-total", "normalized")
    )
    for wrong_row in wrong:
        shown = wrong_by_question[wrong_row["question"]]
        if len(shown) < WRONG_ANSWERS_SHOWN:
            shown.append((wrong_row["normalized"], wrong_row["total"]))
    items = []
    for question in questions:
        row = counts.get(question.pk, {})
        answered = row.get("answered", 0)
        upper_share = _share(row.get("upper_correct", 0), row.get("upper_answered", 0))
        lower_share = _share(row.get("lower_correct", 0), row.get("lower_answered", 0))
        discrimination = (
            None if upper_share is None or lower_share is None else upper_share - lower_share
        )
        item = ItemStat(
            question=question,
            answered=answered,
            correct=row.get("correct", 0),
            difficulty=_share(row.get("correct", 0), answered),
            discrimination=discrimination,
            wrong_answers=wrong_by_question.get(question.pk, []),
        )
        for choice in choices_by_question.get(question.pk, []):
            count = chosen.get(choice.pk, 0)
            percent = (
                None if not answered else (Decimal(100) * count / answered).quantize(Decimal("0.1"))
            )
            item.choices.append(
                ChoiceStat(choice.pk, choice.text, choice.is_correct, count, percent)
            )
        items.append(item)
    return ItemAnalysis(quiz, attempt_count, len(upper), items)


ITEM_COLUMNS = [
    "position",
    "question",
    "kind",
    "answered",
    "correct",
    "percent_correct",
    "discrimination",
    "choice_distribution",
    "common_wrong_answers",
]


def item_analysis_rows(analysis: ItemAnalysis) -> list[list[Any]]:
    rows = []
    for number, item in enumerate(analysis.items, start=1):
        rows.append(
            [
                number,
                item.question.prompt,
                item.question.kind,
                item.answered,
                item.correct,
                "" if item.percent_correct is None else f"{item.percent_correct}",
                "" if item.discrimination is None else f"{item.discrimination}",
                "; ".join(f"{choice.text}: {choice.count}" for choice in item.choices),
                "; ".join(f"{text}: {count}" for text, count in item.wrong_answers),
            ]
        )
    return rows


def quiz_get(quiz_id: int) -> Quiz | None:
    return Quiz.objects.select_related("lesson__course").filter(pk=quiz_id).first()
