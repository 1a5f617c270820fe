"""The post-event evaluation survey, its results, and the CE credit claim page."""

from __future__ import annotations

import pytest

from townsquare.academy.models import CreditClaim, Evaluation
from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed

from ..models import AttendanceSource, Feedback, Registration
from ..services import attendance
from ..services import feedback as services
from .factories import make_organizer
from .support_after import CE_ANSWERS, PLAIN_ANSWERS, make_past_event

pytestmark = pytest.mark.django_db


def _attended(organizer, event, registration):
    attendance.attendance_mark(
        actor=organizer, event=event, registration=registration, attended=True
    )


def test_plain_event_asks_the_event_questions():
    event, _ = make_past_event()
    assert [q.key for q in services.feedback_questions(event)] == [
        "logistics",
        "accessibility",
        "speakers",
        "overall",
        "comments",
    ]


def test_ce_event_adds_the_academy_evaluation_and_submits_it():
    organizer = make_organizer()
    event, (first, _second) = make_past_event(organizer=organizer, with_credit=True)
    keys = [q.key for q in services.feedback_questions(event)]
    assert keys[:3] == ["logistics", "accessibility", "speakers"]
    assert "objective_2" in keys
    assert "free_of_bias" in keys
    _attended(organizer, event, first)
    feedback = services.feedback_submit(user=first.attendee, event=event, answers=CE_ANSWERS)
    assert feedback.answers == {**CE_ANSWERS, "bias_comment": ""}
    evaluation = Evaluation.objects.get(user=first.attendee)
    assert "logistics" not in evaluation.answers
    assert evaluation.answers["objective_1"] == "5"


def test_checked_in_attendee_gets_a_completion_when_evaluating():
    event, (first, _second) = make_past_event(with_credit=True)
    Registration.objects.filter(pk=first.pk).update(
        attended=True, attendance_source=AttendanceSource.CHECK_IN
    )
    services.feedback_submit(user=first.attendee, event=event, answers=CE_ANSWERS)
    assert Evaluation.objects.filter(user=first.attendee).exists()


def test_feedback_once_and_only_attendees():
    organizer = make_organizer()
    event, (first, second) = make_past_event(organizer=organizer)
    with pytest.raises(PermissionRefused):
        services.feedback_submit(user=second.attendee, event=event, answers=PLAIN_ANSWERS)
    _attended(organizer, event, first)
    services.feedback_submit(user=first.attendee, event=event, answers=PLAIN_ANSWERS)
    with pytest.raises(Conflict):
        services.feedback_submit(user=first.attendee, event=event, answers=PLAIN_ANSWERS)
    assert Feedback.objects.count() == 1


def test_bad_answers_write_nothing():
    organizer = make_organizer()
    event, (first, _second) = make_past_event(organizer=organizer, with_credit=True)
    _attended(organizer, event, first)
    bad = {**CE_ANSWERS, "logistics": "9", "free_of_bias": "no", "speakers": ""}
    with pytest.raises(ValidationFailed) as caught:
        services.feedback_submit(user=first.attendee, event=event, answers=bad)
    assert caught.value.field_errors == {
        "logistics": ["Choose one of the answers offered."],
        "speakers": ["Please answer this question."],
        "bias_comment": ["Please describe the commercial bias you saw."],
    }
    assert not Feedback.objects.exists()
    assert not Evaluation.objects.exists()


def test_summary_counts_averages_and_comments():
    organizer = make_organizer()
    event, registrations = make_past_event(organizer=organizer, attendees=3)
    for registration, rating in zip(registrations[:2], ("4", "5"), strict=True):
        _attended(organizer, event, registration)
        services.feedback_submit(
            user=registration.attendee, event=event, answers={**PLAIN_ANSWERS, "overall": rating}
        )
    _attended(organizer, event, registrations[2])
    summary = services.feedback_summary(actor=organizer, event=event)
    assert (summary.responses, summary.attended, summary.response_rate) == (2, 3, 67)
    overall = next(q for q in summary.questions if q.key == "overall")
    assert str(overall.average) == "4.50"
    assert overall.distribution == [
        ("1", 0, 0),
        ("2", 0, 0),
        ("3", 0, 0),
        ("4", 1, 50),
        ("5", 1, 50),
    ]
    comments = next(q for q in summary.questions if q.key == "comments")
    assert comments.comments == ["More breaks, please.", "More breaks, please."]
    with pytest.raises(PermissionRefused):
        services.feedback_summary(actor=registrations[0].attendee, event=event)


def test_feedback_page_then_claim_page(client, mailoutbox):
    organizer = make_organizer()
    event, (first, _second) = make_past_event(organizer=organizer, with_credit=True)
    _attended(organizer, event, first)
    client.force_login(first.attendee)
    response = client.get(f"/events/{event.slug}/credit/")
    assert "Submit the evaluation of this event." in response.content.decode()
    response = client.post(f"/events/{event.slug}/feedback/", {"logistics": "4"})
    assert response.status_code == 422
    response = client.post(f"/events/{event.slug}/feedback/", CE_ANSWERS)
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.slug}/credit/"
    response = client.post(
        f"/events/{event.slug}/credit/",
        {"hours": "5", "attested": "on", "license_number": "RN1", "license_state": "OH"},
    )
    assert response.status_code == 422
    assert "This activity offers at most 3.00 hours." in response.content.decode()
    response = client.post(
        f"/events/{event.slug}/credit/",
        {"hours": "2.5", "attested": "on", "license_number": "RN1", "license_state": "OH"},
    )
    assert response.status_code == 302
    assert CreditClaim.objects.get().hours == 2.5
    response = client.get(f"/events/{event.slug}/feedback/")
    assert "You submitted your evaluation" in response.content.decode()


def test_results_page_and_csv(client):
    organizer = make_organizer()
    event, (first, _second) = make_past_event(organizer=organizer)
    _attended(organizer, event, first)
    services.feedback_submit(
        user=first.attendee, event=event, answers={**PLAIN_ANSWERS, "comments": "=HYPERLINK(1)"}
    )
    client.force_login(organizer)
    response = client.get(f"/events/{event.slug}/manage/feedback/")
    assert response.status_code == 200
    assert "1 response from 1 attendee (100%)" in response.content.decode()
    response = client.get(f"/events/{event.slug}/manage/feedback.csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "submitted_at,logistics,accessibility,speakers,overall,comments"
    assert lines[1].endswith(",3,4,5,4,'=HYPERLINK(1)")


def test_api_summary(client):
    organizer = make_organizer()
    event, _ = make_past_event(organizer=organizer)
    client.force_login(organizer)
    response = client.get(f"/api/v1/events/{event.pk}/feedback/summary")
    assert response.status_code == 200
    body = response.json()
    assert (body["responses"], body["attended"], body["response_rate"]) == (0, 0, None)
    assert [q["key"] for q in body["questions"]][0] == "logistics"
    assert client.get(f"/api/v1/events/{2**63}/feedback/summary").status_code == 422
