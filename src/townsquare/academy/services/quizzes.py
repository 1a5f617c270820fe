"""Quiz attempts: drawing questions from the bank, grading on the server, passing and retakes.

An attempt is scarce (``attempt_limit``) and is graded once: starting locks the learner's
enrollment row and submitting locks the attempt row (lock, check, write), and the database's
unique constraints (one open attempt, numbered attempts, one answer per question) catch the rest.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.locks import lock_row

from ..models import (
    Enrollment,
    EnrollmentStatus,
    Question,
    QuestionKind,
    Quiz,
    QuizAnswer,
    QuizAttempt,
    Verb,
)
from .progress import enrollment_check_completion, lesson_mark_completed, require_studying
from .statements import statement_record

_random = random.SystemRandom()
CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE}


@dataclass(frozen=True)
class AttemptAllowance:
    used: int
    limit: int | None
    is_passed: bool
    open_attempt: QuizAttempt | None

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)

    @property
    def may_start(self) -> bool:
        if self.is_passed:
            return False
        return self.open_attempt is not None or self.remaining is None or self.remaining > 0


def attempt_allowance(*, user: User, quiz: Quiz) -> AttemptAllowance:
    attempts = list(QuizAttempt.objects.filter(quiz=quiz, user=user))
    return AttemptAllowance(
        used=len(attempts),
        limit=quiz.attempt_limit,
        is_passed=any(attempt.is_passed for attempt in attempts),
        open_attempt=next((a for a in attempts if a.submitted_at is None), None),
    )


def _enrollment_for_quiz(*, user: User, quiz: Quiz) -> Enrollment:
    enrollment = (
        Enrollment.objects.filter(user=user, course_id=quiz.lesson.course_id)
        .select_related("course")
        .first()
    )
    if enrollment is None or enrollment.status == EnrollmentStatus.WITHDRAWN:
        raise PermissionRefused("Enroll in the course to take its quiz.")
    require_studying(enrollment)
    return enrollment


@transaction.atomic
def attempt_start(*, user: User, quiz: Quiz) -> QuizAttempt:
    """Start an attempt (or return the open one), drawing its questions at random from the bank."""
    enrollment = _enrollment_for_quiz(user=user, quiz=quiz)
    lock_row(Enrollment.objects.filter(pk=enrollment.pk))
    allowance = attempt_allowance(user=user, quiz=quiz)
    if allowance.is_passed:
        raise Conflict("You have already passed this quiz; there is no need for another attempt.")
    if allowance.open_attempt is not None:
        return allowance.open_attempt
    if allowance.limit is not None and allowance.used >= allowance.limit:
        raise Conflict(
            f"You have used all {allowance.limit} attempts at this quiz.",
            attempts_used=allowance.used,
        )
    bank = list(quiz.questions.values_list("pk", flat=True))
    if not bank:
        raise Conflict("This quiz has no questions yet.")
    count = min(quiz.questions_per_attempt or len(bank), len(bank))
    try:
        with transaction.atomic():
            return QuizAttempt.objects.create(
                quiz=quiz,
                enrollment=enrollment,
                user=user,
                number=allowance.used + 1,
                question_ids=_random.sample(bank, count),
                started_at=timezone.now(),
            )
    except IntegrityError as error:
        raise Conflict("An attempt was started at the same time; reload the page.") from error


def attempt_get(*, user: Any, attempt_id: int) -> QuizAttempt:
    """The learner's own attempt; anybody else's is "not found"."""
    attempt = (
        QuizAttempt.objects.filter(pk=attempt_id, user_id=getattr(user, "pk", 0) or 0)
        .select_related("quiz__lesson__course", "enrollment")
        .first()
    )
    if attempt is None:
        raise NotFound("No such quiz attempt.")
    return attempt


def attempt_questions(attempt: QuizAttempt) -> list[Question]:
    """The attempt's questions in the order drawn, with their choices (two queries)."""
    questions = {
        question.pk: question
        for question in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related(
            "choices"
        )
    }
    return [questions[pk] for pk in attempt.question_ids if pk in questions]


def _normalized(text: str) -> str:
    return " ".join(text.split()).casefold()


def _validated_answers(
    questions: list[Question], answers: dict[int, list[int] | str]
) -> dict[int, list[int] | str]:
    by_id = {question.pk: question for question in questions}
    errors: dict[str, list[str]] = {}
    for question_id, answer in answers.items():
        question = by_id.get(question_id)
        key = str(question_id)
        if question is None:
            errors[key] = ["This question is not part of the attempt."]
        elif question.kind == QuestionKind.SHORT:
            if not isinstance(answer, str):
                errors[key] = ["Answer this question with text."]
            elif len(answer) > 500:
                errors[key] = ["Keep the answer under 500 characters."]
        elif not isinstance(answer, list):
            errors[key] = ["Answer this question by choosing."]
        else:
            allowed = {choice.pk for choice in question.choices.all()}
            if not set(answer) <= allowed:
                errors[key] = ["That choice does not belong to this question."]
            elif question.kind != QuestionKind.MULTIPLE and len(set(answer)) > 1:
                errors[key] = ["Choose one answer."]
    if errors:
        raise ValidationFailed("Some answers are not valid; see `errors`.", field_errors=errors)
    return answers


def _grade(question: Question, answer: list[int] | str | None) -> bool:
    if answer is None:
        return False
    if question.kind == QuestionKind.SHORT:
        accepted = {_normalized(str(text)) for text in question.accepted_answers}
        return isinstance(answer, str) and _normalized(answer) in accepted
    correct = {choice.pk for choice in question.choices.all() if choice.is_correct}
    return isinstance(answer, list) and set(answer) == correct and bool(correct)


@transaction.atomic
def attempt_submit(
    *, user: User, attempt_id: int, answers: dict[int, list[int] | str]
) -> QuizAttempt:
    """Grade an attempt once. Another learner's attempt is "not found"; a second submission of the
    same attempt (a double click) is a Conflict that changes nothing."""
    try:
        attempt = lock_row(
            QuizAttempt.objects.filter(pk=attempt_id, user_id=getattr(user, "pk", 0) or 0)
        )
    except QuizAttempt.DoesNotExist as error:
        raise NotFound("No such quiz attempt.") from error
    if attempt.submitted_at is not None:
        raise Conflict("This attempt was already submitted.", attempt_id=attempt.pk)
    questions = attempt_questions(attempt)
    _validated_answers(questions, answers)
    earned = Decimal(0)
    total = Decimal(0)
    graded: list[tuple[QuizAnswer, list[int]]] = []
    for question in questions:
        answer = answers.get(question.pk)
        is_correct = _grade(question, answer)
        points = Decimal(question.points) if is_correct else Decimal(0)
        earned += points
        total += question.points
        graded.append(
            (
                QuizAnswer(
                    attempt=attempt,
                    question=question,
                    text=answer if isinstance(answer, str) else "",
                    is_correct=is_correct,
                    points=points,
                ),
                sorted(set(answer)) if isinstance(answer, list) else [],
            )
        )
    score = (earned * 100 / total if total else Decimal(100)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    quiz = Quiz.objects.select_related("lesson").get(pk=attempt.quiz_id)
    try:
        with transaction.atomic():
            created = QuizAnswer.objects.bulk_create([answer for answer, _ in graded])
            through = QuizAnswer.choices.through
            through.objects.bulk_create(
                [
                    through(quizanswer_id=answer.pk, choice_id=choice_id)
                    for answer, (_, choice_ids) in zip(created, graded, strict=True)
                    for choice_id in choice_ids
                ]
            )
    except IntegrityError as error:
        raise Conflict("This attempt was already submitted.", attempt_id=attempt.pk) from error
    attempt.submitted_at = timezone.now()
    attempt.score = score
    attempt.is_passed = score >= quiz.pass_mark
    attempt.save(update_fields=["submitted_at", "score", "is_passed"])
    statement_record(
        user=user,
        verb=Verb.PASSED if attempt.is_passed else Verb.FAILED,
        object_type="quiz",
        object_id=quiz.pk,
        name=quiz.lesson.title,
        score=score,
        success=attempt.is_passed,
        parent=("course", quiz.lesson.course_id),
    )
    if attempt.is_passed:
        enrollment = Enrollment.objects.select_related("course", "user").get(
            pk=attempt.enrollment_id
        )
        if enrollment.status != EnrollmentStatus.WITHDRAWN:
            lesson_mark_completed(enrollment=enrollment, lesson=quiz.lesson)
            enrollment_check_completion(enrollment=enrollment)
    return attempt
