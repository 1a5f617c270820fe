"""The Academy at scale for `townsquare demo --scale large`: courses, enrollments and progress.

Registered with the accounts large demo (``accounts/demo_large.py``), which discovers this module
and runs it after the people exist. Like the rest of the large demo, course *n* and what learner
*n* studies depend only on the seed and their position, rows go in with ``bulk_create``, and a
run inserts only what is missing (courses by code, enrollments by learner and course), so a second
run changes nothing.

At the default scale: 200 courses of 8 to 15 lessons (a quiz closing about 40% of them), and one
to four enrollments for each of the 10,000 people who are members, with lesson progress; about a
fifth of the enrollments are completed.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from townsquare.accounts.demo_large import LargeDemo, chunked, register
from townsquare.accounts.models import Role, UserRole

from .models import (
    AccessTier,
    Choice,
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
    Lesson,
    LessonKind,
    LessonProgress,
    Level,
    Module,
    Question,
    QuestionKind,
    Quiz,
    QuizAttempt,
)

DEFAULT_COURSES = 200
CODE_PREFIX = "HSM"  # large-demo course codes: HSM 1000 … (the hand-written demo uses GSM)
QUIZ_SHARE = 0.4
COMPLETED_SHARE = 0.2
ENROLLMENTS_PER_LEARNER = (1, 4)

SUBJECTS = (
    "Patient privacy",
    "Crisis communication",
    "Health literacy",
    "Video storytelling",
    "Online patient communities",
    "Physician advocacy",
    "Nurse recruitment",
    "Misinformation response",
    "Public health campaigns",
    "Accessible content",
    "Podcasting",
    "Clinical trials outreach",
    "Digital ethics",
    "Reputation management",
    "Community management",
    "Social listening",
    "Employee advocacy",
    "Influencer partnerships",
    "Paid social advertising",
    "Patient experience",
)
ANGLES = (
    "essentials",
    "in practice",
    "for nurses",
    "for physicians",
    "for pharmacists",
    "for communications teams",
    "for hospital leaders",
    "workshop",
    "case studies",
    "advanced strategies",
)
MODULE_TITLES = (
    "Getting started",
    "Core principles",
    "Planning",
    "Doing it well",
    "Measuring and improving",
    "Case studies",
)
LESSON_TOPICS = (
    "Why it matters",
    "Key terms",
    "Policy and compliance",
    "Audience and goals",
    "Choosing the channel",
    "Writing for the platform",
    "Working with patients",
    "Working with colleagues",
    "Handling comments",
    "Common mistakes",
    "A worked example",
    "Checklist",
    "Measuring results",
    "Next steps",
)
PARAGRAPHS = (
    "Health-care organizations earn trust online the same way they earn it in the clinic: by "
    "being accurate, clear and consistent, and by protecting the privacy of every patient.",
    "Start from the goal and the audience. Decide what you want people to know or do, then "
    "choose the format and the platform that reach them best.",
    "Plain language helps everyone. Short sentences, everyday words and a clear next step make "
    "a post useful to readers of every level of health literacy.",
    "Before anything is published, check it against your organization's social media policy "
    "and make sure no detail, alone or combined, could identify a patient.",
    "Measure what matters: not only reach and likes, but the actions and outcomes your goal "
    "names, compared with a baseline of your own.",
)
LEVELS = (Level.INTRODUCTORY, Level.INTERMEDIATE, Level.ADVANCED)
TIERS = (AccessTier.PUBLIC, AccessTier.MEMBER, AccessTier.MEMBER, AccessTier.PREMIUM)


@dataclass(frozen=True)
class CourseSpec:
    code: str
    title: str
    level: str
    tier: str
    modules: tuple[tuple[str, int], ...]  # (title, number of lessons)
    has_quiz: bool

    @property
    def slug(self) -> str:
        return f"{self.code.lower().replace(' ', '-')}-large-demo"

    @property
    def lesson_count(self) -> int:
        return sum(count for _, count in self.modules)


def course_specs(count: int) -> list[CourseSpec]:
    """The synthetic courses; course *n* is the same whatever ``count`` (above n) is."""
    specs = []
    for index in range(count):
        rng = random.Random(f"townsquare-large-demo-1:course:{index}")  # noqa: S311
        subject = SUBJECTS[index % len(SUBJECTS)]
        angle = ANGLES[(index // len(SUBJECTS)) % len(ANGLES)]
        round_number = index // (len(SUBJECTS) * len(ANGLES))
        title = f"{subject} {angle}" + (f" ({round_number + 1})" if round_number else "")
        lessons = rng.randint(8, 15)
        module_count = rng.randint(2, min(4, lessons // 3))
        sizes = [lessons // module_count] * module_count
        for extra in range(lessons % module_count):
            sizes[extra] += 1
        titles = rng.sample(MODULE_TITLES, module_count)
        specs.append(
            CourseSpec(
                code=f"{CODE_PREFIX} {1000 + index}",
                title=title,
                level=rng.choice(LEVELS),
                tier=rng.choice(TIERS),
                modules=tuple(zip(titles, sizes, strict=True)),
                has_quiz=rng.random() < QUIZ_SHARE,
            )
        )
    return specs


def _lesson_body(rng: random.Random, subject: str, topic: str) -> str:
    paragraphs = rng.sample(PARAGRAPHS, 3)
    return f"## {topic}\n\nThis lesson covers {topic.lower()} in {subject.lower()}.\n\n" + (
        "\n\n".join(paragraphs)
    )


@register("academy.courses")
def generate_courses(demo: LargeDemo) -> dict[str, int]:
    specs = course_specs(max(1, round(DEFAULT_COURSES * demo.scale)))
    existing = demo.ids_by(Course, "code", [spec.code for spec in specs])
    new = [spec for spec in specs if spec.code not in existing]
    if not new:
        return {"courses": 0}
    now = timezone.now()
    rng = demo.rng("academy", "courses", len(existing))
    demo.bulk_create(
        Course,
        [
            Course(
                code=spec.code,
                slug=spec.slug,
                title=spec.title,
                summary=f"A course on {spec.title.lower()} for health-care social media teams.",
                level=spec.level,
                access_tier=spec.tier,
                estimated_hours=Decimal(spec.lesson_count * 12) / 60,
                status=CourseStatus.PUBLISHED,
                published_at=now - timedelta(days=rng.randint(30, 700)),
            )
            for spec in new
        ],
        description="courses",
    )
    course_ids = demo.ids_by(Course, "code", [spec.code for spec in new])
    instructors = _instructor_ids(demo)
    through = Course.instructors.through
    demo.bulk_create(
        through,
        [
            through(course_id=course_ids[spec.code], user_id=rng.choice(instructors))
            for spec in new
            if instructors
        ],
        description="course instructors",
    )
    modules = [
        Module(course_id=course_ids[spec.code], title=title, position=position)
        for spec in new
        for position, (title, _) in enumerate(spec.modules)
    ]
    demo.bulk_create(Module, modules, description="modules")
    module_ids = _module_ids(list(course_ids.values()))
    lessons = []
    for spec in new:
        course_id = course_ids[spec.code]
        subject = spec.title
        topics = iter(rng.sample(LESSON_TOPICS, min(spec.lesson_count, len(LESSON_TOPICS))))
        for module_position, (_, size) in enumerate(spec.modules):
            for position in range(size):
                is_quiz = (
                    spec.has_quiz
                    and module_position == len(spec.modules) - 1
                    and (position == size - 1)
                )
                topic = next(topics, f"Practice {position + 1}")
                lessons.append(
                    Lesson(
                        module_id=module_ids[(course_id, module_position)],
                        course_id=course_id,
                        title="Check your knowledge" if is_quiz else topic,
                        kind=LessonKind.QUIZ if is_quiz else LessonKind.TEXT,
                        body="" if is_quiz else _lesson_body(rng, subject, topic),
                        estimated_minutes=rng.choice((5, 8, 10, 12, 15)),
                        position=position,
                        created_at=now,
                        updated_at=now,
                    )
                )
    demo.bulk_create(Lesson, lessons, description="lessons")
    quizzes = _quizzes(demo, list(course_ids.values()))
    return {"courses": len(new), "modules": len(modules), "lessons": len(lessons), **quizzes}


def _instructor_ids(demo: LargeDemo) -> list[int]:
    people = set(demo.person_ids)
    return sorted(
        user_id
        for user_id in UserRole.objects.filter(role=Role.INSTRUCTOR).values_list(
            "user_id", flat=True
        )
        if user_id in people
    )


def _module_ids(course_ids: list[int]) -> dict[tuple[int, int], int]:
    found = {}
    for chunk in chunked(course_ids, 900):
        for course_id, position, pk in Module.objects.filter(course_id__in=chunk).values_list(
            "course_id", "position", "pk"
        ):
            found[(course_id, position)] = pk
    return found


def _quizzes(demo: LargeDemo, course_ids: list[int]) -> dict[str, int]:
    lesson_ids: list[int] = []
    for chunk in chunked(course_ids, 900):
        lesson_ids += Lesson.objects.filter(course_id__in=chunk, kind=LessonKind.QUIZ).values_list(
            "pk", flat=True
        )
    demo.bulk_create(Quiz, [Quiz(lesson_id=pk, pass_mark=70, attempt_limit=3) for pk in lesson_ids])
    quiz_ids: list[int] = []
    for chunk in chunked(lesson_ids, 900):
        quiz_ids += Quiz.objects.filter(lesson_id__in=chunk).values_list("pk", flat=True)
    questions = [
        Question(
            quiz_id=quiz_id,
            kind=kind,
            prompt=prompt,
            accepted_answers=["HIPAA"] if kind == QuestionKind.SHORT else [],
            position=position,
        )
        for quiz_id in quiz_ids
        for position, (kind, prompt) in enumerate(
            (
                (QuestionKind.SINGLE, "Which should you check before publishing a post?"),
                (QuestionKind.TRUE_FALSE, "A post without a name can still identify a patient."),
                (QuestionKind.SHORT, "Which US law protects the privacy of health information?"),
                (QuestionKind.MULTIPLE, "Which are meaningful measures of a campaign?"),
            )
        )
    ]
    demo.bulk_create(Question, questions, description="questions")
    choice_texts: dict[str, tuple[tuple[str, bool], ...]] = {
        QuestionKind.SINGLE: (("The social media policy", True), ("The weather", False)),
        QuestionKind.TRUE_FALSE: (("True", True), ("False", False)),
        QuestionKind.MULTIPLE: (
            ("Bookings made through the link", True),
            ("Screening attendance", True),
            ("Number of emojis used", False),
        ),
    }
    choices = []
    for chunk in chunked(quiz_ids, 900):
        for question_id, kind in Question.objects.filter(quiz_id__in=chunk).values_list(
            "pk", "kind"
        ):
            choices += [
                Choice(question_id=question_id, text=text, is_correct=correct, position=position)
                for position, (text, correct) in enumerate(choice_texts.get(kind, ()))
            ]
    demo.bulk_create(Choice, choices, description="choices")
    return {"quizzes": len(quiz_ids), "questions": len(questions), "choices": len(choices)}


@register("academy.enrollments")
def generate_enrollments(demo: LargeDemo) -> dict[str, int]:
    specs = course_specs(max(1, round(DEFAULT_COURSES * demo.scale)))
    course_ids = demo.ids_by(Course, "code", [spec.code for spec in specs])
    ordered_courses = [course_ids[spec.code] for spec in specs]
    lessons_by_course: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for chunk in chunked(ordered_courses, 900):
        for course_id, pk, kind in (
            Lesson.objects.filter(course_id__in=chunk)
            .order_by("module__position", "position", "pk")
            .values_list("course_id", "pk", "kind")
        ):
            lessons_by_course[course_id].append((pk, kind))
    members = set(UserRole.objects.filter(role=Role.MEMBER).values_list("user_id", flat=True))
    existing: set[tuple[int, int]] = set()
    for chunk in chunked(ordered_courses, 900):
        existing.update(
            Enrollment.objects.filter(course_id__in=chunk).values_list("user_id", "course_id")
        )
    now = timezone.now()
    plans: dict[tuple[int, int], tuple[int, bool, int]] = {}  # -> (lessons done, completed, days)
    for index, user_id in enumerate(demo.person_ids):
        if user_id not in members:
            continue
        rng = demo.rng("academy", "learner", index)
        count = rng.randint(*ENROLLMENTS_PER_LEARNER)
        for course_id in rng.sample(ordered_courses, min(count, len(ordered_courses))):
            lessons = lessons_by_course[course_id]
            completed = rng.random() < COMPLETED_SHARE
            done = len(lessons) if completed else rng.randint(0, max(0, len(lessons) - 1))
            if (user_id, course_id) not in existing:
                plans[(user_id, course_id)] = (done, completed, rng.randint(done + 1, done + 120))
    enrollments = []
    for (user_id, course_id), (done, completed, days) in plans.items():
        started = now - timedelta(days=days)
        lessons = lessons_by_course[course_id]
        last = started + timedelta(days=done)
        enrollments.append(
            Enrollment(
                user_id=user_id,
                course_id=course_id,
                status=EnrollmentStatus.COMPLETED if completed else EnrollmentStatus.ACTIVE,
                disclosures_seen_at=started,
                last_lesson_id=lessons[done - 1][0] if done else None,
                last_activity_at=last if done else None,
                completed_at=last if completed else None,
                created_at=started,
                updated_at=last,
            )
        )
    demo.bulk_create(Enrollment, enrollments, description="enrollments")
    if not plans:
        return {"enrollments": 0}
    enrollment_ids: dict[tuple[int, int], int] = {}
    for chunk in chunked(ordered_courses, 900):
        for user_id, course_id, pk in Enrollment.objects.filter(course_id__in=chunk).values_list(
            "user_id", "course_id", "pk"
        ):
            if (user_id, course_id) in plans:
                enrollment_ids[(user_id, course_id)] = pk
    progress, attempts = _progress(plans, enrollment_ids, lessons_by_course, now)
    return {
        "enrollments": len(enrollments),
        "lesson_progress": demo.bulk_create(LessonProgress, progress, description="progress"),
        "quiz_attempts": demo.bulk_create(QuizAttempt, attempts, description="quiz attempts"),
    }


def _progress(
    plans: dict[tuple[int, int], tuple[int, bool, int]],
    enrollment_ids: dict[tuple[int, int], int],
    lessons_by_course: dict[int, list[tuple[int, str]]],
    now,  # type: ignore[no-untyped-def]
) -> tuple[list[LessonProgress], list[QuizAttempt]]:
    quiz_lessons = [
        pk for lessons in lessons_by_course.values() for pk, kind in lessons if kind == "quiz"
    ]
    quiz_ids: dict[int, int] = {}
    for chunk in chunked(quiz_lessons, 900):
        quiz_ids.update(Quiz.objects.filter(lesson_id__in=chunk).values_list("lesson_id", "pk"))
    progress, attempts = [], []
    for (user_id, course_id), (done, _completed, days) in plans.items():
        enrollment_id = enrollment_ids[(user_id, course_id)]
        started = now - timedelta(days=days)
        for position, (lesson_id, kind) in enumerate(lessons_by_course[course_id][:done]):
            finished = started + timedelta(days=position + 1)
            progress.append(
                LessonProgress(
                    enrollment_id=enrollment_id,
                    lesson_id=lesson_id,
                    started_at=finished - timedelta(minutes=10),
                    completed_at=finished,
                )
            )
            if kind == LessonKind.QUIZ:
                attempts.append(
                    QuizAttempt(
                        quiz_id=quiz_ids[lesson_id],
                        enrollment_id=enrollment_id,
                        user_id=user_id,
                        number=1,
                        started_at=finished - timedelta(minutes=10),
                        submitted_at=finished,
                        score=Decimal(100),
                        is_passed=True,
                    )
                )
    return progress, attempts
