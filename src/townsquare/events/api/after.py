"""Events API: after the event (attendance, evaluation summary).

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from decimal import Decimal
from typing import Any

from ninja import Field, Path, Schema

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import NotFound, PermissionRefused
from townsquare.core.models import MAX_OBJECT_ID

from ..models import Event
from ..permissions import can_manage_event, can_view_event
from ..selectors import after as selectors
from ..services import attendance as attendance_services
from ..services import feedback as feedback_services
from .router import router


class AttendanceIn(Schema):
    registration_id: int = Field(..., ge=1, le=MAX_OBJECT_ID)
    attended: bool = True


class AttendanceOut(Schema):
    registration_id: int
    attendee_id: int
    attended: bool
    attendance_source: str
    attended_minutes: int | None


class DistributionOut(Schema):
    answer: str
    count: int
    percent: int


class QuestionSummaryOut(Schema):
    key: str
    text: str
    kind: str
    answered: int
    average: Decimal | None
    distribution: list[DistributionOut]
    comments: list[str]


class FeedbackSummaryOut(Schema):
    event_id: int
    responses: int
    attended: int
    response_rate: int | None
    questions: list[QuestionSummaryOut]


def _managed(user: Any, event_id: int) -> Event:
    event = selectors.event_by_id(event_id)
    if not can_manage_event(user, event):
        if not can_view_event(user, event):
            raise NotFound("No such event.")
        raise PermissionRefused("Only the event's organizers may do this.")
    return event


@router.post(
    "/{event_id}/attendance",
    response=AttendanceOut,
    summary="Mark a confirmed registration as attended or not (organizers)",
)
def attendance_mark(
    request: AuthenticatedHttpRequest,
    payload: AttendanceIn,
    event_id: int = Path(..., ge=1, le=MAX_OBJECT_ID),
) -> Any:
    event = _managed(request.user, event_id)
    registration = event.registrations.filter(pk=payload.registration_id).first()
    if registration is None:
        raise NotFound("No such registration at this event.")
    registration = attendance_services.attendance_mark(
        actor=request.user, event=event, registration=registration, attended=payload.attended
    )
    return {
        "registration_id": registration.pk,
        "attendee_id": registration.attendee_id,
        "attended": registration.attended,
        "attendance_source": registration.attendance_source,
        "attended_minutes": registration.attended_minutes,
    }


@router.get(
    "/{event_id}/feedback/summary",
    response=FeedbackSummaryOut,
    summary="The evaluation survey's results: counts, averages, distributions (organizers)",
)
def feedback_summary(
    request: AuthenticatedHttpRequest, event_id: int = Path(..., ge=1, le=MAX_OBJECT_ID)
) -> Any:
    event = _managed(request.user, event_id)
    summary = feedback_services.feedback_summary(actor=request.user, event=event)
    return {
        "event_id": event.pk,
        "responses": summary.responses,
        "attended": summary.attended,
        "response_rate": summary.response_rate,
        "questions": [
            {
                "key": question.key,
                "text": question.text,
                "kind": question.kind,
                "answered": question.answered,
                "average": question.average,
                "distribution": [
                    {"answer": answer, "count": count, "percent": percent}
                    for answer, count, percent in question.distribution
                ],
                "comments": question.comments,
            }
            for question in summary.questions
        ],
    }
