from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema


class CourseRef(Schema):
    id: int
    code: str
    slug: str
    title: str


class EnrollmentOut(Schema):
    id: int
    course: CourseRef
    status: str
    created_at: datetime
    completed_at: datetime | None
    last_activity_at: datetime | None
    last_lesson_id: int | None
    disclosures_seen_at: datetime | None


class LessonProgressOut(Schema):
    id: int
    title: str
    kind: str
    is_required: bool
    is_completed: bool


class EnrollmentDetailOut(EnrollmentOut):
    percent: int
    required_total: int
    required_done: int
    resume_lesson_id: int | None
    lessons: list[LessonProgressOut]


class LessonCompleteOut(Schema):
    lesson_id: int
    completed_at: datetime
    enrollment_status: str


class ChoiceOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    kind: str
    prompt: str
    points: int
    choices: list[ChoiceOut]


class AttemptOut(Schema):
    id: int
    quiz_id: int
    number: int
    started_at: datetime
    submitted_at: datetime | None
    score: Decimal | None
    is_passed: bool
    pass_mark: int
    questions: list[QuestionOut]


class AnswerResultOut(Schema):
    question_id: int
    is_correct: bool
    points: Decimal
    choice_ids: list[int]
    text: str
    correct_choice_ids: list[int]
    explanation: str


class AttemptResultOut(AttemptOut):
    answers: list[AnswerResultOut]


class AnswerIn(Schema):
    question_id: int = Field(..., ge=1, le=2**31 - 1)
    choice_ids: list[int] = Field(default_factory=list, max_length=50)
    text: str | None = Field(None, max_length=500)


class AttemptSubmitIn(Schema):
    answers: list[AnswerIn] = Field(default_factory=list, max_length=500)
