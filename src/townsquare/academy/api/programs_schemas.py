"""Schemas of the programs and cohorts API (no `from __future__ import annotations`: ninja reads
the annotations at import time)."""

from datetime import date, datetime

from ninja import Schema
from pydantic import EmailStr

from ..models import AccessTier, CohortRole


class ProgramOut(Schema):
    id: int
    title: str
    slug: str
    summary: str
    access_tier: AccessTier
    is_published: bool
    course_count: int


class ProgramCourseOut(Schema):
    course_id: int
    code: str
    title: str
    slug: str
    position: int
    status: str
    percent: int
    completed_at: datetime | None = None


class ProgramDetailOut(ProgramOut):
    courses: list[ProgramCourseOut]
    is_enrolled: bool
    completed_at: datetime | None = None


class ProgramEnrollmentOut(Schema):
    id: int
    program_id: int
    created_at: datetime
    completed_at: datetime | None = None


class CourseProgressOut(Schema):
    course_id: int
    status: str
    percent: int
    completed_at: datetime | None = None


class CohortMemberOut(Schema):
    id: int
    user_id: int
    display_name: str
    role: CohortRole
    mentor_member_id: int | None = None


class CohortLearnerOut(CohortMemberOut):
    percent: int
    completed_at: datetime | None = None
    courses: list[CourseProgressOut]


class CohortOut(Schema):
    id: int
    title: str
    slug: str
    course_id: int | None = None
    program_id: int | None = None
    starts_on: date
    ends_on: date
    mentee_limit: int
    capacity: int | None = None
    instructors: list[CohortMemberOut]
    mentors: list[CohortMemberOut]
    learners: list[CohortLearnerOut]


class CohortMemberIn(Schema):
    email: EmailStr
    role: CohortRole = CohortRole.LEARNER
