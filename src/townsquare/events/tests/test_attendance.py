"""Attendance: marking by hand, the webinar report import, CE completion and certificates."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.academy.models import ActivityCompletion, Credential, CreditClaim
from townsquare.academy.services.credit import credit_claim, evaluation_submit
from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord

from ..models import AttendanceSource, Registration
from ..services import attendance as services
from .factories import make_attendee, make_event, make_organizer, register
from .support_after import CE_ANSWERS, make_past_event

pytestmark = pytest.mark.django_db


def zoom_report(rows: list[tuple[str, str]]) -> bytes:
    lines = [
        "Meeting ID,Topic,Start Time",
        "812 3456 7890,Social media for nurses,05/01/2026 09:00:00 AM",
        "",
        "Name (Original Name),User Email,Join Time,Leave Time,Time in Session (minutes),Guest",
    ]
    lines += [f"Person,{email},09:00,10:00,{minutes},No" for email, minutes in rows]
    return ("\n".join(lines) + "\n").encode()


def teams_report(rows: list[tuple[str, str]]) -> bytes:
    lines = ["Full Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole"]
    lines += [f"Person\t9:00\t10:00\t{duration}\t{email}\tAttendee" for email, duration in rows]
    return ("\n".join(lines) + "\n").encode("utf-16")


# The parser ------------------------------------------------------------------------------------


def test_zoom_report_is_read_below_its_summary():
    report = services.attendance_report_parse(
        zoom_report([("A@Example.org", "50"), ("b@example.org", "12"), ("a@example.org", "10")])
    )
    assert report.email_column == "User Email"
    assert report.minutes_column == "Time in Session (minutes)"
    assert report.minutes_by_email == {"a@example.org": 60, "b@example.org": 12}
    assert report.rows == 3


def test_teams_report_in_utf16_with_tabs_and_durations():
    report = services.attendance_report_parse(
        teams_report([("c@example.org", "1h 5m 3s"), ("d@example.org", "00:45:10")])
    )
    assert report.email_column == "Email"
    assert report.minutes_column == "Duration"
    assert report.minutes_by_email == {"c@example.org": 65, "d@example.org": 45}


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("45", 45),
        ("45.9", 45),
        ("1:05:03", 65),
        ("05:30", 5),
        ("2h", 120),
        ("12 mins", 12),
        ("1h 2m", 62),
        ("", None),
        ("soon", None),
        ("-3", None),
        ("1:75:00", 135),
        ("1:00:99", None),
    ],
)
def test_duration_minutes(text, minutes):
    assert services.duration_minutes(text) == minutes


def test_every_bad_row_is_reported_with_its_line():
    content = zoom_report([("a@example.org", "30"), ("not-an-email", "20"), ("b@example.org", "x")])
    with pytest.raises(services.ReportInvalid) as caught:
        services.attendance_report_parse(content)
    assert [(error.line, error.message) for error in caught.value.row_errors] == [
        (6, "“not-an-email” is not an email address."),
        (7, "“x” is not a duration."),
    ]
    assert caught.value.message == "2 rows of the report are not valid; nothing was imported."


def test_a_report_without_the_columns_is_refused():
    with pytest.raises(services.ReportInvalid) as caught:
        services.attendance_report_parse(b"Name,Joined\nAda,yes\n")
    assert caught.value.row_errors[0].line == 1


def test_binary_and_oversized_files_are_refused():
    with pytest.raises(ValidationFailed, match="not text in UTF-8"):
        services.attendance_report_parse(b"\xff\xfe\x00\x00\xd8\x00garbage\x00")
    with pytest.raises(ValidationFailed, match="larger than"):
        services.attendance_report_parse(b"a" * (services.MAX_IMPORT_BYTES + 1))


emails = st.emails().map(str.lower).filter(lambda email: len(email) < 200 and "," not in email)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(emails, st.integers(0, 600)), min_size=1, max_size=15))
def test_parser_sums_minutes_per_person_for_any_valid_report(rows):
    report = services.attendance_report_parse(zoom_report([(e, str(m)) for e, m in rows]))
    expected: dict[str, int] = {}
    for email, minutes in rows:
        expected[email] = expected.get(email, 0) + minutes
    assert report.minutes_by_email == expected
    assert report.rows == len(rows)


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=2000))
def test_parser_never_fails_unexpectedly(content):
    try:
        report = services.attendance_report_parse(content)
    except ValidationFailed:
        return
    assert all(minutes >= 0 for minutes in report.minutes_by_email.values())


# Marking by hand -------------------------------------------------------------------------------


def test_marking_records_the_completion_and_unmarking_withdraws_it():
    organizer = make_organizer()
    event, (first, _second) = make_past_event(organizer=organizer, with_credit=True)
    services.attendance_mark(actor=organizer, event=event, registration=first, attended=True)
    first.refresh_from_db()
    assert (first.attended, first.attendance_source) == (True, AttendanceSource.MANUAL)
    completion = ActivityCompletion.objects.get(user=first.attendee)
    assert completion.completed_on == event.local_ends_at.date()
    assert AuditRecord.objects.filter(action="events.attendance.marked").count() == 1

    services.attendance_mark(actor=organizer, event=event, registration=first, attended=False)
    first.refresh_from_db()
    assert (first.attended, first.attendance_source) == (False, "")
    assert not ActivityCompletion.objects.filter(user=first.attendee).exists()


def test_unmarking_is_refused_once_credit_was_claimed():
    organizer = make_organizer()
    event, (first, _second) = make_past_event(organizer=organizer, with_credit=True)
    services.attendance_mark(actor=organizer, event=event, registration=first, attended=True)
    activity = event.credit_activity
    assert activity is not None
    answers = {
        k: v for k, v in CE_ANSWERS.items() if k not in ("logistics", "accessibility", "speakers")
    }
    evaluation_submit(user=first.attendee, activity=activity, answers=answers)
    credit_claim(
        user=first.attendee,
        activity=activity,
        hours="3",
        attested=True,
        license_number="RN1",
        license_state="OH",
    )
    with pytest.raises(Conflict):
        services.attendance_mark(actor=organizer, event=event, registration=first, attended=False)
    first.refresh_from_db()
    assert first.attended is True
    assert CreditClaim.objects.count() == 1


def test_only_managers_mark_and_only_confirmed_registrations():
    organizer = make_organizer()
    event, (first, _second) = make_past_event(organizer=organizer)
    with pytest.raises(PermissionRefused):
        services.attendance_mark(
            actor=make_attendee(), event=event, registration=first, attended=True
        )
    first.status = "cancelled"
    first.cancelled_at = timezone.now()
    first.save()
    with pytest.raises(ValidationFailed, match="Only confirmed"):
        services.attendance_mark(actor=organizer, event=event, registration=first, attended=True)


# The import ------------------------------------------------------------------------------------


def test_import_matches_confirmed_registrations_with_the_minimum():
    organizer = make_organizer()
    event, (first, second, third) = make_past_event(
        organizer=organizer, attendees=3, with_credit=True
    )
    content = zoom_report(
        [
            (first.attendee.email.upper(), "55"),
            (second.attendee.email, "10"),
            ("stranger@example.org", "60"),
        ]
    )
    summary = services.attendance_import(
        actor=organizer, event=event, content=content, minimum_minutes=30
    )
    assert (summary.matched, summary.newly_attended, summary.rows) == (1, 1, 3)
    assert summary.below_minimum == [second.attendee.email]
    assert summary.unknown == ["stranger@example.org"]
    attended = Registration.objects.filter(event=event, attended=True).get()
    assert (attended.pk, attended.attended_minutes, attended.attendance_source) == (
        first.pk,
        55,
        AttendanceSource.IMPORT,
    )
    assert list(ActivityCompletion.objects.values_list("user_id", flat=True)) == [first.attendee_id]
    assert third.attended is False


def test_import_with_one_bad_row_imports_nothing():
    organizer = make_organizer()
    event, (first, _second) = make_past_event(organizer=organizer)
    content = zoom_report([(first.attendee.email, "55"), ("broken", "1")])
    with pytest.raises(services.ReportInvalid):
        services.attendance_import(actor=organizer, event=event, content=content)
    assert not Registration.objects.filter(attended=True).exists()


def test_import_refused_for_cancelled_events():
    organizer = make_organizer()
    event, (first, _second) = make_past_event(organizer=organizer)
    event.status = "cancelled"
    event.save()
    with pytest.raises(ValidationFailed, match="cancelled"):
        services.attendance_import(
            actor=organizer, event=event, content=zoom_report([(first.attendee.email, "5")])
        )


# Certificates ----------------------------------------------------------------------------------


def test_certificates_go_to_attendees_once(django_capture_on_commit_callbacks, mailoutbox):
    organizer = make_organizer()
    event, (first, second) = make_past_event(organizer=organizer, with_credit=True)
    services.attendance_mark(actor=organizer, event=event, registration=first, attended=True)
    with django_capture_on_commit_callbacks(execute=True):
        summary = services.certificates_issue(actor=organizer, event=event)
    assert (summary.issued, summary.already_held) == (1, 0)
    credential = Credential.objects.get()
    assert credential.user == first.attendee
    assert credential.subject_reference == f"events.event:{event.pk}"
    assert credential.hours == event.certificate_hours
    assert credential.credit_statement == "Up to 3.00 Nursing contact hours (ANCC)"
    assert credential.title == f"Certificate of attendance: {event.title}"
    assert len(mailoutbox) == 1

    again = services.certificates_issue(actor=organizer, event=event)
    assert (again.issued, again.already_held) == (0, 1)
    assert Credential.objects.count() == 1
    assert second.attended is False


def test_checked_in_attendees_get_their_completion_with_the_certificate():
    organizer = make_organizer()
    event, (first, _second) = make_past_event(organizer=organizer, with_credit=True)
    Registration.objects.filter(pk=first.pk).update(
        attended=True, attendance_source=AttendanceSource.CHECK_IN
    )
    services.certificates_issue(actor=organizer, event=event)
    assert ActivityCompletion.objects.filter(user=first.attendee).exists()


def test_certificates_need_hours_and_a_finished_event():
    organizer = make_organizer()
    event, _ = make_past_event(organizer=organizer, certificate_hours=None)
    with pytest.raises(ValidationFailed, match="certificate hours"):
        services.certificates_issue(actor=organizer, event=event)
    upcoming = make_event(organizers=(organizer,), certificate_hours="2")
    register(make_attendee(), upcoming)
    with pytest.raises(ValidationFailed, match="ended"):
        services.certificates_issue(actor=organizer, event=upcoming)


# Pages -----------------------------------------------------------------------------------------


def test_attendance_page_marks_and_imports(client):
    organizer = make_organizer()
    event, (first, second) = make_past_event(organizer=organizer)
    client.force_login(organizer)
    url = f"/events/{event.slug}/manage/attendance/"
    response = client.get(url)
    assert response.status_code == 200
    assert first.attendee.display_name in response.content.decode()

    response = client.post(f"{url}mark", {"registration": first.pk, "attended": "1"}, follow=True)
    assert response.redirect_chain[-1] == (url, 302)
    assert f"{first.attendee.display_name} is marked attended." in response.content.decode()

    upload = SimpleUploadedFile(
        "report.csv", zoom_report([("nobody", "3")]), content_type="text/csv"
    )
    response = client.post(f"{url}import", {"report": upload, "minimum_minutes": "0"})
    assert response.status_code == 422
    assert "Line 5: “nobody” is not an email address." in response.content.decode()

    upload = SimpleUploadedFile(
        "report.csv", zoom_report([(second.attendee.email, "40")]), content_type="text/csv"
    )
    response = client.post(f"{url}import", {"report": upload, "minimum_minutes": "30"})
    assert response.status_code == 200
    assert "1 matched a confirmed registration (1 newly marked attended)" in (
        response.content.decode()
    )
    assert Registration.objects.filter(event=event, attended=True).count() == 2


def test_import_form_refuses_other_files(client):
    organizer = make_organizer()
    event, _ = make_past_event(organizer=organizer)
    client.force_login(organizer)
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(
        f"/events/{event.slug}/manage/attendance/import",
        {"report": upload, "minimum_minutes": "-1"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Upload the report as a .csv file." in body
    assert "Ensure this value is greater than or equal to 0." in body


@pytest.mark.parametrize("rows", [5, 50])
def test_attendance_page_queries_do_not_grow(client, django_assert_num_queries, rows):
    organizer = make_organizer()
    event, _ = make_past_event(organizer=organizer, attendees=rows)
    client.force_login(organizer)
    client.get(f"/events/{event.slug}/manage/attendance/")  # warm the session
    with django_assert_num_queries(10):
        response = client.get(f"/events/{event.slug}/manage/attendance/")
    assert response.status_code == 200


def test_certificates_issue_page(client):
    organizer = make_organizer()
    event, (first, _second) = make_past_event(organizer=organizer)
    services.attendance_mark(actor=organizer, event=event, registration=first, attended=True)
    client.force_login(organizer)
    response = client.post(f"/events/{event.slug}/manage/certificates/issue", follow=True)
    assert "Certificates issued: 1 new; 0 already held one." in response.content.decode()


def test_api_marks_attendance(client):
    organizer = make_organizer()
    event, (first, _second) = make_past_event(organizer=organizer)
    client.force_login(organizer)
    response = client.post(
        f"/api/v1/events/{event.pk}/attendance",
        {"registration_id": first.pk, "attended": True},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "registration_id": first.pk,
        "attendee_id": first.attendee_id,
        "attended": True,
        "attendance_source": "manual",
        "attended_minutes": None,
    }
    response = client.post(
        f"/api/v1/events/{event.pk}/attendance",
        {"registration_id": 2**62, "attended": True},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_completion_date_is_never_in_the_future():
    organizer = make_organizer()
    event, (first, _second) = make_past_event(organizer=organizer, with_credit=True)
    event.ends_at = timezone.now() + datetime.timedelta(days=3)
    event.save()
    services.attendance_mark(actor=organizer, event=event, registration=first, attended=True)
    assert ActivityCompletion.objects.get().completed_on <= timezone.localdate()
