"""Attendance after an event: marked by hand, imported from the webinar provider's attendee report,
and what follows from it: the CE completion (academy) and the certificate of attendance (academy).

The import is all or nothing: every row is checked first, errors are reported with the line number
the organizer sees in a spreadsheet, and nothing is written unless every row is right.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from townsquare.academy.services.credentials import attendance_certificate_issue
from townsquare.academy.services.credit import (
    activity_completion_record,
    activity_completion_withdraw,
)
from townsquare.accounts.models import User
from townsquare.core.audit import audit_record
from townsquare.core.errors import PermissionRefused, ValidationFailed
from townsquare.core.locks import lock_row, lock_rows

from ..models import AttendanceSource, Event, EventStatus, Registration, RegistrationStatus
from ..permissions import can_manage_event

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
MAX_MINUTES = 24 * 60 * 14  # two weeks of minutes: anything above is a wrong column
MAX_REPORTED_ERRORS = 50

# Header names the providers use, compared lower-cased with spaces and punctuation squeezed out.
# Zoom "Attendee report": "User Email", "Time in Session (minutes)" (older: "Duration (Minutes)").
# Teams attendance list: "Email", "Duration" / "In-Meeting Duration" as "1h 5m 3s" or "01:05:03".
EMAIL_HEADERS = ("email", "useremail", "emailaddress", "attendeeemail", "participantemail", "upn")
DURATION_HEADERS = (
    "timeinsessionminutes",
    "durationminutes",
    "minutes",
    "totalminutes",
    "attendanceminutes",
    "inmeetingduration",
    "duration",
    "attendanceduration",
    "timeinsession",
)


def _squeeze(header: str) -> str:
    return re.sub(r"[^a-z]", "", header.strip().lower())


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass
class ParsedReport:
    """Minutes per email (lower case) from a valid report; rows for one person are added up."""

    email_column: str
    minutes_column: str
    minutes_by_email: dict[str, int] = field(default_factory=dict)
    rows: int = 0


class ReportInvalid(ValidationFailed):
    """The report has errors; ``row_errors`` says which line and why."""

    def __init__(self, message: str, row_errors: list[RowError]) -> None:
        super().__init__(message, field_errors={"report": [message]})
        self.row_errors = row_errors


_HMS = re.compile(r"^(?:(\d{1,3}):)?(\d{1,4}):(\d{1,2})$")
_UNITS = re.compile(
    r"^(?:(\d{1,3})\s*h(?:rs?|ours?)?)?\s*(?:(\d{1,4})\s*m(?:ins?|inutes?)?)?\s*"
    r"(?:(\d{1,5})\s*s(?:ecs?|econds?)?)?$"
)


def duration_minutes(text: str) -> int | None:
    """Whole minutes from "45", "45.5", "1:05:03", "1h 5m 3s", "65 mins"; None if unreadable."""
    value = text.strip().lower()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is not None:
        if not number.is_finite() or number < 0:
            return None
        return int(number)
    match = _HMS.match(value)
    if match:
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        if seconds >= 60:
            return None
        return hours * 60 + minutes + seconds // 60
    match = _UNITS.match(value)
    if match and any(match.groups()):
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        return hours * 60 + minutes + seconds // 60
    return None


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ValidationFailed(
        "The file is not text in UTF-8; export the report as CSV and upload it again.",
        field_errors={"report": ["The file is not a UTF-8 CSV file."]},
    )


def _find_header(
    rows: list[tuple[int, list[str]]],
) -> tuple[int, int, int, list[str]] | None:
    """(index in rows, email column, minutes column, header) of the first row that names both.

    Zoom puts a meeting summary above the attendee table, so the header is not always first."""
    for index, (_line, row) in enumerate(rows[:60]):
        names = [_squeeze(cell) for cell in row]
        email = next((names.index(h) for h in EMAIL_HEADERS if h in names), None)
        minutes = next((names.index(h) for h in DURATION_HEADERS if h in names), None)
        if email is not None and minutes is not None:
            return index, email, minutes, row
    return None


def attendance_report_parse(content: bytes) -> ParsedReport:
    """Read a Zoom or Teams attendee report; raise ``ReportInvalid`` listing every bad row."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationFailed(
            f"The report is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.",
            field_errors={"report": ["The file is too large."]},
        )
    text = _decode(content)
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for row in reader:
            if len(rows) > MAX_IMPORT_ROWS:
                raise ValidationFailed(
                    f"The report has more than {MAX_IMPORT_ROWS} rows.",
                    field_errors={"report": ["Too many rows."]},
                )
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, row))
    except csv.Error as error:
        raise ReportInvalid(
            "The file is not a readable CSV report.",
            [RowError(reader.line_num, f"Not readable as CSV: {error}.")],
        ) from error
    found = _find_header(rows)
    if found is None:
        raise ReportInvalid(
            "No header row names an email column and a minutes or duration column.",
            [
                RowError(
                    1,
                    "Expected columns such as “User Email” and “Time in Session (minutes)” (Zoom) "
                    "or “Email” and “Duration” (Teams).",
                )
            ],
        )
    start, email_index, minutes_index, header = found
    report = ParsedReport(email_column=header[email_index], minutes_column=header[minutes_index])
    errors: list[RowError] = []
    for line, row in rows[start + 1 :]:
        names = [_squeeze(cell) for cell in row]
        if any(h in names for h in EMAIL_HEADERS) and any(h in names for h in DURATION_HEADERS):
            continue  # a repeated header (Teams lists one per section)
        email = row[email_index].strip().lower() if email_index < len(row) else ""
        raw_minutes = row[minutes_index] if minutes_index < len(row) else ""
        try:
            validate_email(email)
        except ValidationError:
            errors.append(RowError(line, f"“{email[:80]}” is not an email address."))
            continue
        minutes = duration_minutes(raw_minutes)
        if minutes is None or minutes > MAX_MINUTES:
            errors.append(RowError(line, f"“{raw_minutes.strip()[:40]}” is not a duration."))
            continue
        report.minutes_by_email[email] = report.minutes_by_email.get(email, 0) + minutes
        report.rows += 1
    if errors:
        count = len(errors)
        raise ReportInvalid(
            f"{count} row{'s' if count != 1 else ''} of the report "
            f"{'are' if count != 1 else 'is'} not valid; nothing was imported.",
            errors[:MAX_REPORTED_ERRORS],
        )
    if not report.minutes_by_email:
        raise ReportInvalid("The report lists nobody.", [RowError(1, "No attendee rows.")])
    return report


# Writing attendance ----------------------------------------------------------------------------


def _require_manager(actor: User, event: Event) -> None:
    if not can_manage_event(actor, event):
        raise PermissionRefused("Only the event's organizers may record attendance.")


def _require_recordable(event: Event) -> None:
    if event.status == EventStatus.CANCELLED:
        raise ValidationFailed("The event was cancelled; there is no attendance to record.")
    if event.status != EventStatus.PUBLISHED:
        raise ValidationFailed("Publish the event before you record attendance.")


def _completion_date(event: Event) -> datetime.date:
    return min(event.local_ends_at.date(), timezone.localdate())


def ce_completion_record(event: Event, user: User) -> None:
    """Tell the academy ``user`` completed the event's CE activity (check-in, marking, import)."""
    if event.credit_activity is not None:
        activity_completion_record(
            activity=event.credit_activity, user=user, completed_on=_completion_date(event)
        )


@transaction.atomic
def attendance_mark(
    *, actor: User, event: Event, registration: Registration, attended: bool
) -> Registration:
    """Mark (or unmark) one confirmed registration as attended by hand.

    Marking records the CE completion when the event offers credit; unmarking withdraws it, which
    the academy refuses once credit was claimed (then nothing changes)."""
    _require_manager(actor, event)
    _require_recordable(event)
    registration = lock_row(
        Registration.objects.filter(pk=registration.pk, event=event).select_related("attendee")
    )
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationFailed("Only confirmed registrations can be marked as attended.")
    if registration.attended == attended:
        return registration
    if attended:
        registration.attended = True
        registration.attendance_source = AttendanceSource.MANUAL
        ce_completion_record(event, registration.attendee)
    else:
        if event.credit_activity is not None:
            activity_completion_withdraw(activity=event.credit_activity, user=registration.attendee)
        registration.attended = False
        registration.attendance_source = ""
        registration.attended_minutes = None
    registration.save(
        update_fields=["attended", "attendance_source", "attended_minutes", "updated_at"]
    )
    audit_record(
        action="events.attendance.marked" if attended else "events.attendance.unmarked",
        actor=actor,
        target=registration,
        data={"event_id": event.pk},
    )
    return registration


@dataclass
class ImportSummary:
    matched: int = 0
    newly_attended: int = 0
    below_minimum: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    rows: int = 0


@transaction.atomic
def attendance_import(
    *, actor: User, event: Event, content: bytes, minimum_minutes: int = 0
) -> ImportSummary:
    """Import the provider's attendee report: people with at least ``minimum_minutes`` whose email
    matches a confirmed registration are marked attended (source "import", with their minutes)."""
    _require_manager(actor, event)
    _require_recordable(event)
    if not 0 <= minimum_minutes <= MAX_MINUTES:
        raise ValidationFailed(
            "Enter a minimum between 0 and the length of the event.",
            field_errors={"minimum_minutes": ["Enter a number of minutes from 0."]},
        )
    report = attendance_report_parse(content)
    registrations = lock_rows(
        Registration.objects.filter(
            event=event, status=RegistrationStatus.CONFIRMED
        ).select_related("attendee")
    )
    by_email = {registration.attendee.email.lower(): registration for registration in registrations}
    summary = ImportSummary(rows=report.rows)
    for email, minutes in sorted(report.minutes_by_email.items()):
        registration = by_email.get(email)
        if registration is None:
            summary.unknown.append(email)
            continue
        if minutes < minimum_minutes:
            summary.below_minimum.append(email)
            continue
        summary.matched += 1
        if not registration.attended:
            summary.newly_attended += 1
            registration.attendance_source = AttendanceSource.IMPORT
        registration.attended = True
        registration.attended_minutes = minutes
        registration.save(
            update_fields=["attended", "attendance_source", "attended_minutes", "updated_at"]
        )
        ce_completion_record(event, registration.attendee)
    audit_record(
        action="events.attendance.imported",
        actor=actor,
        target=event,
        data={
            "rows": report.rows,
            "matched": summary.matched,
            "newly_attended": summary.newly_attended,
            "below_minimum": len(summary.below_minimum),
            "unknown": len(summary.unknown),
            "minimum_minutes": minimum_minutes,
        },
    )
    return summary


# Certificates ----------------------------------------------------------------------------------


def subject_reference(event: Event) -> str:
    return f"events.event:{event.pk}"


def credit_statement(event: Event) -> str:
    activity = event.credit_activity
    if activity is None:
        return ""
    return f"Up to {activity.max_hours:.2f} {activity.get_credit_type_display()}"


@dataclass
class IssueSummary:
    issued: int = 0
    already_held: int = 0


def _attended(event: Event) -> Iterable[Registration]:
    return (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED, attended=True)
        .select_related("attendee")
        .order_by("pk")
    )


@transaction.atomic
def certificates_issue(*, actor: User, event: Event) -> IssueSummary:
    """Issue a certificate of attendance to everyone who attended (and record their CE completion).

    Idempotent: people who already hold a live certificate for the event keep it."""
    from townsquare.academy.models import Credential, CredentialKind

    _require_manager(actor, event)
    _require_recordable(event)
    if event.certificate_hours is None:
        raise ValidationFailed(
            "Set the certificate hours of the event before issuing certificates of attendance."
        )
    if event.ends_at > timezone.now():
        raise ValidationFailed("Certificates of attendance are issued once the event has ended.")
    reference = subject_reference(event)
    holders = set(
        Credential.objects.filter(
            kind=CredentialKind.ATTENDANCE, subject_reference=reference, revoked_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    summary = IssueSummary()
    statement = credit_statement(event)
    for registration in _attended(event):
        ce_completion_record(event, registration.attendee)
        if registration.attendee_id in holders:
            summary.already_held += 1
            continue
        attendance_certificate_issue(
            user=registration.attendee,
            subject_reference=reference,
            title=f"Certificate of attendance: {event.title}",
            hours=Decimal(event.certificate_hours),
            credit_statement=statement,
        )
        summary.issued += 1
    audit_record(
        action="events.certificates.issued",
        actor=actor,
        target=event,
        data={"issued": summary.issued, "already_held": summary.already_held},
    )
    return summary
