from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from townsquare.accounts.models import Profession

from ..models import AccessTier, LessonKind, Level


class CatalogFilterIn(Schema):
    q: str = Field("", max_length=200)
    topic: str = Field("", max_length=80, description="A topic slug.")
    level: Level | None = None
    profession: Profession | None = None
    language: str = Field("", max_length=10)
    tier: AccessTier | None = None
    credit: bool = Field(False, description="Only courses that offer CE credit.")


class CourseOut(Schema):
    id: int
    code: str
    slug: str
    title: str
    summary: str
    level: Level
    language: str
    estimated_hours: Decimal
    access_tier: AccessTier
    offers_credit: bool
    topics: list[str]
    published_at: datetime | None

    @staticmethod
    def resolve_topics(obj: object) -> list[str]:
        return [topic.name for topic in obj.topics.all()]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_offers_credit(obj: object) -> bool:
        return bool(getattr(obj, "offers_credit", False))


class LessonOutlineOut(Schema):
    id: int
    title: str
    kind: LessonKind
    estimated_minutes: int
    is_required: bool


class ModuleOutlineOut(Schema):
    id: int
    title: str
    summary: str
    lessons: list[LessonOutlineOut]

    @staticmethod
    def resolve_lessons(obj: object) -> list[object]:
        return list(obj.lessons.all())  # type: ignore[attr-defined]


class InstructorOut(Schema):
    id: int
    display_name: str


class CreditSummaryOut(Schema):
    credit_type: str
    max_hours: Decimal
    objectives: str


class CourseDetailOut(CourseOut):
    status: str
    instructors: list[InstructorOut]
    prerequisites: list[str]
    audience: list[str]
    credit: CreditSummaryOut | None
    modules: list[ModuleOutlineOut]

    @staticmethod
    def resolve_instructors(obj: object) -> list[object]:
        return list(obj.instructors.all())  # type: ignore[attr-defined]

    @staticmethod
    def resolve_prerequisites(obj: object) -> list[str]:
        return [course.code for course in obj.prerequisites.all()]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_audience(obj: object) -> list[str]:
        return [item.profession for item in obj.audience.all()]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_credit(obj: object) -> object | None:
        return getattr(obj, "credit_activity", None)

    @staticmethod
    def resolve_offers_credit(obj: object) -> bool:
        return getattr(obj, "credit_activity", None) is not None

    @staticmethod
    def resolve_modules(obj: object) -> list[object]:
        return list(obj.modules.all())  # type: ignore[attr-defined]
