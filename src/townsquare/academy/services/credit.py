"""Continuing-education credit: the activity a course offers, its disclosures, the learner's
evaluation and credit claim, and the staff export in the layout accrediting bodies take.

Claims are lock, check, write on the learner's enrollment, backed by the ``credit_claim_once``
constraint, so a double submit claims once. Audit records never carry licence numbers, NABP ids or
birth dates.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.core.audit import audit_record
from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed
from townsquare.core.locks import lock_row

from .. import permissions
from ..models import (
    ActivityCompletion,
    Course,
    CreditActivity,
    CreditClaim,
    CreditType,
    Disclosure,
    DisclosureRole,
    Enrollment,
    EnrollmentStatus,
    Evaluation,
)

# ACPE universal activity number: provider-joint provider-year-sequence-topic-type,
# e.g. 0000-0000-26-001-H04-P (L = live, H = home study, X = blended; P/T/B audience).
ACPE_NUMBER = re.compile(r"^\d{4}-\d{4}-\d{2}-\d{3}-[LHX]\d{2}-[PTB]$")
NABP_EPROFILE_ID = re.compile(r"^\d{1,7}$")
HOURS_STEP = Decimal("0.25")
MAX_ACTIVITY_HOURS = Decimal("999.75")


# The activity and its disclosures --------------------------------------------------------------


def _course_of(activity: CreditActivity) -> Course:
    if activity.course is None:
        raise ValidationFailed("This credit activity belongs to no course.")
    return activity.course


def _require_author(actor: User, course: Course) -> None:
    if not permissions.can_author_course(actor, course):
        raise PermissionRefused("Only the course's authors may edit its credit.")


def _check_activity(
    *,
    credit_type: str,
    max_hours: Decimal,
    objectives: str,
    activity_number: str,
    released_on: datetime.date | None,
    expires_on: datetime.date | None,
) -> None:
    errors: dict[str, list[str]] = {}
    if credit_type not in CreditType.values:
        errors["credit_type"] = ["Choose a credit type from the list."]
    if not (Decimal(0) < max_hours <= MAX_ACTIVITY_HOURS):
        errors["max_hours"] = [f"Enter more than 0 and at most {MAX_ACTIVITY_HOURS} hours."]
    elif max_hours % HOURS_STEP:
        errors["max_hours"] = ["Enter hours in steps of a quarter hour (0.25)."]
    if not objective_list(objectives):
        errors["objectives"] = ["List at least one learning objective, one per line."]
    if credit_type == CreditType.ACPE and not activity_number:
        errors["activity_number"] = ["ACPE credit needs the ACPE universal activity number."]
    elif credit_type == CreditType.ACPE and not ACPE_NUMBER.match(activity_number):
        errors["activity_number"] = [
            "Enter the activity number as 0000-0000-26-001-H04-P "
            "(provider, joint provider, year, sequence, L/H/X and topic, P/T/B)."
        ]
    if released_on and expires_on and expires_on <= released_on:
        errors["expires_on"] = ["The expiry date must come after the release date."]
    if errors:
        summary = "; ".join(messages[0] for messages in errors.values())
        raise ValidationFailed(f"Please correct: {summary}", field_errors=errors)


@transaction.atomic
def credit_activity_save(
    *,
    actor: User,
    course: Course,
    credit_type: str,
    max_hours: Decimal,
    objectives: str,
    accreditation_statement: str = "",
    activity_number: str = "",
    released_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> CreditActivity:
    """Create or update the credit a course offers."""
    _require_author(actor, course)
    activity_number = activity_number.strip()
    _check_activity(
        credit_type=credit_type,
        max_hours=max_hours,
        objectives=objectives,
        activity_number=activity_number,
        released_on=released_on,
        expires_on=expires_on,
    )
    activity = CreditActivity.objects.filter(course=course).first()
    is_new = activity is None
    if activity is None:
        activity = CreditActivity(course=course)
    activity.credit_type = credit_type
    activity.max_hours = max_hours
    activity.objectives = objectives.strip()
    activity.accreditation_statement = accreditation_statement.strip()
    activity.activity_number = activity_number
    activity.released_on = released_on
    activity.expires_on = expires_on
    activity.save()
    audit_record(
        action="academy.credit.activity_created" if is_new else "academy.credit.activity_updated",
        actor=actor,
        target=activity,
        data={
            "course_id": course.pk,
            "credit_type": credit_type,
            "max_hours": str(max_hours),
        },
    )
    return activity


@transaction.atomic
def external_credit_activity_save(
    *,
    actor: User,
    activity: CreditActivity | None,
    title: str,
    credit_type: str,
    max_hours: Decimal,
    objectives: str,
    accreditation_statement: str = "",
    activity_number: str = "",
    released_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> CreditActivity:
    """Create or update the credit of an activity that is not a course (an event).

    Called by the owning app's service, which has already checked that ``actor`` may manage it."""
    if activity is not None and activity.course_id is not None:
        raise ValidationFailed("This credit activity belongs to a course; edit it there.")
    title = title.strip()[:250]
    activity_number = activity_number.strip()
    _check_activity(
        credit_type=credit_type,
        max_hours=max_hours,
        objectives=objectives,
        activity_number=activity_number,
        released_on=released_on,
        expires_on=expires_on,
    )
    if not title:
        raise ValidationFailed("Name the activity.", field_errors={"title": ["Name the activity."]})
    is_new = activity is None
    if activity is None:
        activity = CreditActivity()
    activity.title = title
    activity.credit_type = credit_type
    activity.max_hours = max_hours
    activity.objectives = objectives.strip()
    activity.accreditation_statement = accreditation_statement.strip()
    activity.activity_number = activity_number
    activity.released_on = released_on
    activity.expires_on = expires_on
    activity.save()
    audit_record(
        action="academy.credit.activity_created" if is_new else "academy.credit.activity_updated",
        actor=actor,
        target=activity,
        data={"title": title, "credit_type": credit_type, "max_hours": str(max_hours)},
    )
    return activity


@transaction.atomic
def activity_completion_record(
    *, activity: CreditActivity, user: User, completed_on: datetime.date
) -> ActivityCompletion:
    """Record that ``user`` completed a non-course activity; repeating it changes nothing."""
    if activity.course_id is not None:
        raise ValidationFailed("A course's completion comes from its enrollment.")
    completion, _created = ActivityCompletion.objects.get_or_create(
        activity=activity, user=user, defaults={"completed_on": completed_on}
    )
    return completion


@transaction.atomic
def activity_completion_withdraw(*, activity: CreditActivity, user: User) -> bool:
    """Undo a completion recorded by mistake, unless credit was already claimed for it."""
    if CreditClaim.objects.filter(activity=activity, user=user).exists():
        raise Conflict("Credit has already been claimed for this activity; it stays completed.")
    deleted, _ = ActivityCompletion.objects.filter(activity=activity, user=user).delete()
    return bool(deleted)


def _completion_date(user: User, activity: CreditActivity) -> datetime.date | None:
    """When ``user`` completed the activity: the course's completion, or the recorded one."""
    if activity.course_id is None:
        return (
            ActivityCompletion.objects.filter(activity=activity, user=user)
            .values_list("completed_on", flat=True)
            .first()
        )
    enrollment = _completed_enrollment(user, activity)
    if enrollment is None or enrollment.completed_at is None:
        return None
    return timezone.localdate(enrollment.completed_at)


@transaction.atomic
def disclosure_save(
    *,
    actor: User,
    activity: CreditActivity,
    person_name: str,
    role: str,
    relationships: str = "",
    mitigation: str = "",
    disclosure: Disclosure | None = None,
) -> Disclosure:
    """Add a disclosure (``disclosure`` None) or change one. Empty relationships means none."""
    _require_author(actor, _course_of(activity))
    if disclosure is not None and disclosure.activity_id != activity.pk:
        raise ValidationFailed("That disclosure belongs to another activity.")
    errors: dict[str, list[str]] = {}
    person_name = person_name.strip()
    relationships = relationships.strip()
    mitigation = mitigation.strip()
    if not person_name:
        errors["person_name"] = ["Enter the person's name."]
    if role not in DisclosureRole.values:
        errors["role"] = ["Choose faculty, planner or reviewer."]
    if relationships and not mitigation:
        errors["mitigation"] = ["Describe how the relevant financial relationships were mitigated."]
    if errors:
        summary = "; ".join(messages[0] for messages in errors.values())
        raise ValidationFailed(f"Please correct: {summary}", field_errors=errors)
    is_new = disclosure is None
    if disclosure is None:
        disclosure = Disclosure(activity=activity, position=activity.disclosures.count())
    disclosure.person_name = person_name
    disclosure.role = role
    disclosure.relationships = relationships
    disclosure.mitigation = mitigation
    disclosure.save()
    audit_record(
        action="academy.credit.disclosure_added" if is_new else "academy.credit.disclosure_updated",
        actor=actor,
        target=disclosure,
        data={"activity_id": activity.pk, "role": role, "has_relationships": bool(relationships)},
    )
    return disclosure


@transaction.atomic
def disclosure_delete(*, actor: User, disclosure: Disclosure) -> None:
    activity = disclosure.activity
    _require_author(actor, _course_of(activity))
    audit_record(
        action="academy.credit.disclosure_removed",
        actor=actor,
        target=disclosure,
        data={"activity_id": activity.pk, "role": disclosure.role},
    )
    disclosure.delete()


# The evaluation --------------------------------------------------------------------------------


def objective_list(objectives: str) -> list[str]:
    """The learning objectives, one per non-empty line, list markers removed."""
    items = []
    for line in objectives.splitlines():
        text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line).strip()
        if text:
            items.append(text)
    return items


@dataclass(frozen=True)
class EvaluationQuestion:
    key: str
    text: str
    kind: str  # "scale" (1-5), "yes_no", "yes_no_maybe", "text"
    is_required: bool = True


SCALE = ("1", "2", "3", "4", "5")
KIND_ANSWERS = {"scale": SCALE, "yes_no": ("yes", "no"), "yes_no_maybe": ("yes", "no", "maybe")}
TEXT_LIMIT = 2000


def evaluation_questions(activity: CreditActivity) -> list[EvaluationQuestion]:
    """The fixed post-activity evaluation, with one rating per learning objective."""
    questions = [
        EvaluationQuestion(
            f"objective_{number}", f"This activity met the objective: {objective}", "scale"
        )
        for number, objective in enumerate(objective_list(activity.objectives), start=1)
    ]
    questions += [
        EvaluationQuestion("free_of_bias", "The content was free of commercial bias.", "yes_no"),
        EvaluationQuestion(
            "bias_comment",
            "If not, describe the commercial bias you saw.",
            "text",
            is_required=False,
        ),
        EvaluationQuestion("practice_change", "I will change my practice.", "yes_no_maybe"),
        EvaluationQuestion("practice_detail", "What will you do differently?", "text"),
        EvaluationQuestion("overall", "Overall, how would you rate this activity?", "scale"),
        EvaluationQuestion("comments", "Any other comments", "text", is_required=False),
    ]
    return questions


def _clean_answers(activity: CreditActivity, answers: dict[str, Any]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for question in evaluation_questions(activity):
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
        raise ValidationFailed(
            "Please answer every required question of the evaluation.", field_errors=errors
        )
    return cleaned


def _completed_enrollment(user: User, activity: CreditActivity) -> Enrollment | None:
    return Enrollment.objects.filter(
        user=user, course=_course_of(activity), status=EnrollmentStatus.COMPLETED
    ).first()


@transaction.atomic
def evaluation_submit(
    *, user: User, activity: CreditActivity, answers: dict[str, Any]
) -> Evaluation:
    """Record the learner's evaluation, once; it requires a completed course or activity."""
    if _completion_date(user, activity) is None:
        noun = "course" if activity.course_id else "activity"
        raise ValidationFailed(f"Complete the {noun} before you evaluate it.")
    cleaned = _clean_answers(activity, answers)
    if Evaluation.objects.filter(user=user, activity=activity).exists():
        raise Conflict("You have already evaluated this activity.")
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(user=user, activity=activity, answers=cleaned)
    except IntegrityError as error:
        raise Conflict("You have already evaluated this activity.") from error
    audit_record(
        action="academy.credit.evaluated",
        actor=user,
        target=evaluation,
        data={"activity_id": activity.pk},
    )
    return evaluation


# The claim -------------------------------------------------------------------------------------


def identifiers_needed(credit_type: str) -> tuple[str, ...]:
    """The identifiers a credit type's accreditor needs with each claim."""
    if credit_type == CreditType.NURSING:
        return ("license_number", "license_state")
    if credit_type == CreditType.ACPE:
        return ("nabp_eprofile_id", "birth_month", "birth_day")
    return ()


def _check_hours(hours: Any, max_hours: Decimal) -> Decimal:
    try:
        value = Decimal(str(hours))
    except (InvalidOperation, ValueError) as error:
        raise ValidationFailed(
            "Enter the hours as a number.", field_errors={"hours": ["Enter a number."]}
        ) from error
    if not value.is_finite() or value <= 0:
        message = "Enter the hours you spent: more than 0."
    elif value > max_hours:
        message = f"This activity offers at most {max_hours} hours."
    elif value % HOURS_STEP:
        message = "Enter hours in steps of a quarter hour (0.25)."
    else:
        return value.quantize(Decimal("0.01"))
    raise ValidationFailed(message, field_errors={"hours": [message]})


def _check_identifiers(
    credit_type: str,
    *,
    license_number: str,
    license_state: str,
    nabp_eprofile_id: str,
    birth_month: int | None,
    birth_day: int | None,
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    needed = identifiers_needed(credit_type)
    values: dict[str, Any] = {}
    if "license_number" in needed:
        if not license_number or len(license_number) > 40:
            errors["license_number"] = ["Enter your nursing licence number."]
        if not license_state or len(license_state) > 40:
            errors["license_state"] = ["Enter the state that issued your licence."]
        values = {"license_number": license_number, "license_state": license_state}
    if "nabp_eprofile_id" in needed:
        if not NABP_EPROFILE_ID.match(nabp_eprofile_id):
            errors["nabp_eprofile_id"] = ["Enter your NABP e-Profile ID: 1 to 7 digits."]
        if birth_month is None or birth_day is None:
            errors["birth_day"] = ["Enter your birth month and day (CPE Monitor needs them)."]
        else:
            try:
                # 2000 is a leap year, so 02-29 is a birthday but 02-30 is not.
                datetime.date(2000, birth_month, birth_day)
            except (ValueError, TypeError, OverflowError):
                errors["birth_day"] = ["That month and day do not make a date."]
        values = {
            "nabp_eprofile_id": nabp_eprofile_id,
            "birth_month": birth_month,
            "birth_day": birth_day,
        }
    if errors:
        summary = "; ".join(messages[0] for messages in errors.values())
        raise ValidationFailed(f"Please correct: {summary}", field_errors=errors)
    return values


def _locked_completion_date(user: User, activity: CreditActivity) -> datetime.date:
    """Lock what the claim rests on (the enrollment or the completion) and return its date."""
    if activity.course_id is None:
        try:
            completion = lock_row(ActivityCompletion.objects.filter(user=user, activity=activity))
        except ActivityCompletion.DoesNotExist as error:
            raise ValidationFailed("Attend the activity before you claim credit.") from error
        return completion.completed_on
    try:
        enrollment = lock_row(Enrollment.objects.filter(user=user, course=_course_of(activity)))
    except Enrollment.DoesNotExist as error:
        raise ValidationFailed("Enroll in and complete the course before you claim credit.") from (
            error
        )
    if enrollment.status != EnrollmentStatus.COMPLETED or enrollment.completed_at is None:
        raise ValidationFailed("Complete the course before you claim credit.")
    return timezone.localdate(enrollment.completed_at)


@transaction.atomic
def credit_claim(
    *,
    user: User,
    activity: CreditActivity,
    hours: Decimal | str | float,
    attested: bool,
    license_number: str = "",
    license_state: str = "",
    nabp_eprofile_id: str = "",
    birth_month: int | None = None,
    birth_day: int | None = None,
) -> CreditClaim:
    """Claim the activity's credit: completed course, evaluation, attested hours, identifiers."""
    completed_on = _locked_completion_date(user, activity)
    if activity.expires_on and completed_on > activity.expires_on:
        raise ValidationFailed(
            f"Credit for this activity expired on {activity.expires_on.isoformat()}; "
            "courses completed after that date earn no credit."
        )
    if not Evaluation.objects.filter(user=user, activity=activity).exists():
        raise ValidationFailed("Submit the evaluation of this activity before you claim credit.")
    if CreditClaim.objects.filter(user=user, activity=activity).exists():
        raise Conflict("You have already claimed credit for this activity.")
    value = _check_hours(hours, activity.max_hours)
    if not attested:
        message = f"Confirm that you spent {value} hours on this activity."
        raise ValidationFailed(message, field_errors={"attested": [message]})
    identifiers = _check_identifiers(
        activity.credit_type,
        license_number=license_number.strip(),
        license_state=license_state.strip(),
        nabp_eprofile_id=nabp_eprofile_id.strip(),
        birth_month=birth_month,
        birth_day=birth_day,
    )
    try:
        with transaction.atomic():
            claim = CreditClaim.objects.create(
                activity=activity,
                user=user,
                credit_type=activity.credit_type,
                hours=value,
                completed_on=completed_on,
                attested_at=timezone.now(),
                **identifiers,
            )
    except IntegrityError as error:
        raise Conflict("You have already claimed credit for this activity.") from error
    audit_record(
        action="academy.credit.claimed",
        actor=user,
        target=claim,
        data={
            "activity_id": activity.pk,
            "course_id": activity.course_id,
            "credit_type": activity.credit_type,
            "hours": str(value),
        },
    )
    return claim


# The export for accrediting bodies -------------------------------------------------------------

EXPORT_COLUMNS = [
    "last_name",
    "first_name",
    "email",
    "profession",
    "license_number",
    "license_state",
    "nabp_eprofile_id",
    "birth_mmdd",
    "activity_title",
    "activity_number",
    "credit_type",
    "date_of_completion",
    "hours",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection guidance)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def split_name(display_name: str) -> tuple[str, str]:
    """(last, first): the last word is the last name; a single word is a last name alone."""
    parts = display_name.strip().rsplit(" ", 1)
    if len(parts) == 1:
        return parts[0], ""
    return parts[1], parts[0].strip()


def _export_row(claim: CreditClaim) -> list[str]:
    last, first = split_name(claim.user.display_name)
    is_acpe = claim.credit_type == CreditType.ACPE
    birth = (
        f"{claim.birth_month:02d}{claim.birth_day:02d}"
        if is_acpe and claim.birth_month and claim.birth_day
        else ""
    )
    course = claim.activity.course
    row = [
        last,
        first,
        claim.user.email,
        claim.user.get_profession_display(),
        claim.license_number,
        claim.license_state,
        claim.nabp_eprofile_id,
        birth,
        course.title if course else claim.activity.title,
        claim.activity.activity_number,
        claim.get_credit_type_display(),
        claim.completed_on.isoformat(),
        f"{claim.hours:.2f}",
    ]
    return [csv_safe(cell) for cell in row]


@transaction.atomic
def credit_export(
    *,
    actor: User,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    credit_type: str = "",
) -> Iterator[list[str]]:
    """Audit the export and return its rows (header first), read lazily in chunks."""
    from ..selectors.credit import claim_export_list

    if not permissions.can_export_credit(actor):
        raise PermissionRefused("Only center staff may export credit claims.")
    claims = claim_export_list(date_from=date_from, date_to=date_to, credit_type=credit_type)
    audit_record(
        action="academy.credit.exported",
        actor=actor,
        data={
            "count": claims.count(),
            "date_from": date_from.isoformat() if date_from else None,
            "date_to": date_to.isoformat() if date_to else None,
            "credit_type": credit_type or None,
        },
    )

    def rows() -> Iterator[list[str]]:
        yield list(EXPORT_COLUMNS)
        for claim in claims.iterator(chunk_size=500):
            yield _export_row(claim)

    return rows()
