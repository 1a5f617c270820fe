"""The post-event evaluation survey: the event's own questions, plus the academy's CE evaluation
when the event offers credit (submitted to the academy too), once per person; and its summary.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from townsquare.academy.models import Evaluation
from townsquare.academy.services.credit import (
    KIND_ANSWERS,
    TEXT_LIMIT,
    EvaluationQuestion,
    activity_completion_record,
    evaluation_questions,
    evaluation_submit,
)
from townsquare.accounts.models import User
from townsquare.core.audit import audit_record
from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed

from ..models import Event, Feedback, Registration, RegistrationStatus
from ..permissions import can_give_feedback, can_manage_event


@dataclass(frozen=True)
class SurveyQuestion:
    key: str
    text: str
    kind: str  # "scale" (1-5), "yes_no", "yes_no_maybe", "text"
    is_required: bool = True
    is_ce: bool = False


EVENT_QUESTIONS = (
    SurveyQuestion(
        "logistics", "Registration, venue or platform, and timing worked well.", "scale"
    ),
    SurveyQuestion(
        "accessibility", "The event was accessible to me (captions, venue, materials).", "scale"
    ),
    SurveyQuestion("speakers", "The speakers were knowledgeable and clear.", "scale"),
)
# The academy's CE evaluation already asks these two; events without credit ask them here.
GENERAL_QUESTIONS = (
    SurveyQuestion("overall", "Overall, how would you rate this event?", "scale"),
    SurveyQuestion("comments", "Any other comments", "text", is_required=False),
)


def _from_academy(question: EvaluationQuestion) -> SurveyQuestion:
    return SurveyQuestion(
        question.key, question.text, question.kind, question.is_required, is_ce=True
    )


def feedback_questions(event: Event) -> list[SurveyQuestion]:
    """The survey: the event's questions, then the CE evaluation (or the general ones)."""
    questions = list(EVENT_QUESTIONS)
    if event.credit_activity is not None:
        questions += [_from_academy(q) for q in evaluation_questions(event.credit_activity)]
    else:
        questions += GENERAL_QUESTIONS
    return questions


def answers_clean(event: Event, answers: dict[str, Any]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for question in feedback_questions(event):
        raw = answers.get(question.key)
        value = "" if raw is None else str(raw).strip()
        if question.kind == "text":
            if len(value) > TEXT_LIMIT:
                errors[question.key] = [f"Keep this under {TEXT_LIMIT} characters."]
                continue
        elif value and value not in KIND_ANSWERS[question.kind]:
            errors[question.key] = ["Choose one of the answers offered."]
            continue
        if not value and question.is_required:
            errors[question.key] = ["Please answer this question."]
            continue
        cleaned[question.key] = value
    if cleaned.get("free_of_bias") == "no" and not cleaned.get("bias_comment"):
        errors["bias_comment"] = ["Please describe the commercial bias you saw."]
    if errors:
        raise ValidationFailed("Please answer every required question.", field_errors=errors)
    return cleaned


def attended_registration(user: Any, event: Event) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.filter(
            event=event, attendee=user, status=RegistrationStatus.CONFIRMED, attended=True
        )
        .select_related("event")
        .first()
    )


@transaction.atomic
def feedback_submit(*, user: User, event: Event, answers: dict[str, Any]) -> Feedback:
    """Record the attendee's survey once; for an event with CE credit also the academy evaluation
    (recording the completion first when only the check-in marked the attendance)."""
    registration = attended_registration(user, event)
    if registration is None or not can_give_feedback(user, registration):
        raise PermissionRefused("Only people who attended the event may evaluate it.")
    cleaned = answers_clean(event, answers)
    if Feedback.objects.filter(event=event, user=user).exists():
        raise Conflict("You have already evaluated this event.")
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(event=event, user=user, answers=cleaned)
    except IntegrityError as error:
        raise Conflict("You have already evaluated this event.") from error
    activity = event.credit_activity
    if activity is not None:
        activity_completion_record(
            activity=activity,
            user=user,
            completed_on=min(event.local_ends_at.date(), timezone.localdate()),
        )
        if not Evaluation.objects.filter(user=user, activity=activity).exists():
            ce_keys = {question.key for question in evaluation_questions(activity)}
            evaluation_submit(
                user=user,
                activity=activity,
                answers={key: value for key, value in cleaned.items() if key in ce_keys},
            )
    audit_record(
        action="events.feedback.submitted",
        actor=user,
        target=feedback,
        data={"event_id": event.pk, "with_ce": activity is not None},
    )
    return feedback


# The summary -----------------------------------------------------------------------------------


@dataclass
class QuestionSummary:
    key: str
    text: str
    kind: str
    answered: int = 0
    average: Decimal | None = None
    # (answer, count, percent of those who answered), in the order the answers are offered.
    distribution: list[tuple[str, int, int]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


@dataclass
class FeedbackSummary:
    responses: int
    attended: int
    questions: list[QuestionSummary]

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.responses / self.attended) if self.attended else None


def _summarize(question: SurveyQuestion, values: list[str]) -> QuestionSummary:
    summary = QuestionSummary(question.key, question.text, question.kind)
    given = [value for value in values if value]
    summary.answered = len(given)
    if question.kind == "text":
        summary.comments = given
        return summary
    options = KIND_ANSWERS[question.kind]
    counts = dict.fromkeys(options, 0)
    for value in given:
        if value in counts:
            counts[value] += 1
    summary.distribution = [
        (option, count, round(100 * count / summary.answered) if summary.answered else 0)
        for option, count in counts.items()
    ]
    if question.kind == "scale" and summary.answered:
        total = sum(int(option) * count for option, count in counts.items())
        summary.average = (Decimal(total) / Decimal(summary.answered)).quantize(Decimal("0.01"))
    return summary


def feedback_summary(*, actor: User, event: Event) -> FeedbackSummary:
    """Counts, averages, distributions per question and the comments (organizers only)."""
    if not can_manage_event(actor, event):
        raise PermissionRefused("Only the event's organizers may see the evaluation results.")
    answer_sets = list(Feedback.objects.filter(event=event).values_list("answers", flat=True))
    attended = Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED, attended=True
    ).count()
    questions = [
        _summarize(question, [str(answers.get(question.key, "")) for answers in answer_sets])
        for question in feedback_questions(event)
    ]
    return FeedbackSummary(responses=len(answer_sets), attended=attended, questions=questions)


def feedback_csv_rows(*, actor: User, event: Event) -> Iterator[list[str]]:
    """One row per response (anonymous: no names), the header first."""
    if not can_manage_event(actor, event):
        raise PermissionRefused("Only the event's organizers may download the evaluation results.")
    questions = feedback_questions(event)
    audit_record(
        action="events.feedback.exported", actor=actor, target=event, data={"event_id": event.pk}
    )

    def rows() -> Iterator[list[str]]:
        yield ["submitted_at", *[question.key for question in questions]]
        for feedback in Feedback.objects.filter(event=event).order_by("created_at", "pk"):
            yield [
                feedback.created_at.isoformat(),
                *[str(feedback.answers.get(question.key, "")) for question in questions],
            ]

    return rows()
