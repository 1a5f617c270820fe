"""The policy builder: drafts, building them into a versioned private resource, and the clause set.

A draft belongs to an organization; its leaders (and center staff) fill it in. Building a draft
renders the policy as DOCX and PDF and saves both as a new version of the organization's private
policy resource (``access=organization``, unlisted, published, ``from_policy_builder``), the
first build creating the resource. The files go through the lead's upload checks and
``file_save``, so text extraction makes the policy searchable for the organization's members.

The lead's ``resource_create`` and ``version_create`` admit staff and members' own submissions
only; an organization's leader is neither, so the resource and its versions are written here
directly, with the same audit records and search sync those services write."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from townsquare.accounts.models import Organization
from townsquare.core.audit import audit_record
from townsquare.core.errors import NotFound, PermissionRefused, ValidationFailed

from ..models import (
    Access,
    License,
    PolicyClause,
    PolicyDraft,
    PolicyOption,
    Resource,
    ResourceAuthor,
    ResourceStatus,
    ResourceType,
    ResourceVersion,
)
from ..permissions import can_build_policy, can_edit_policy_draft, can_manage_policy_clauses
from . import resources as resource_services
from .policy_documents import ComposedPolicy, PolicySection, policy_docx, policy_pdf

DEFAULT_TITLE = "Social media policy"
LEAVE_OUT = ""
REVIEW_AFTER_DAYS = 365
MAX_DRAFTS_PER_ORGANIZATION = 50
PLACEHOLDERS = ("organization", "contact_name", "contact_email", "contact_phone")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


@dataclass(frozen=True)
class DraftFields:
    """What the guided form (or the API) says about a draft."""

    title: str
    contact_name: str
    contact_email: str
    contact_phone: str = ""
    effective_on: date | None = None


@dataclass(frozen=True)
class BuildResult:
    draft: PolicyDraft
    resource: Resource
    version: ResourceVersion
    created: bool


# --- Clauses as the form sees them ---------------------------------------------------------------


def active_clauses() -> list[PolicyClause]:
    """Active clauses in order, each with its options (two queries)."""
    return list(PolicyClause.objects.filter(is_active=True).prefetch_related("options"))


def default_choices(clauses: list[PolicyClause]) -> dict[str, str]:
    """The recommended option of each clause (its default, else its first)."""
    choices: dict[str, str] = {}
    for clause in clauses:
        options = list(clause.options.all())
        chosen = next((o for o in options if o.is_default), options[0] if options else None)
        if chosen is not None:
            choices[clause.key] = chosen.key
    return choices


def choices_check(choices: Mapping[str, str], clauses: list[PolicyClause]) -> dict[str, str]:
    """The choices cleaned against the active clauses: unknown clauses dropped, unknown options
    and required clauses left out refused (``ValidationFailed`` naming each clause)."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for clause in clauses:
        chosen = (choices.get(clause.key) or LEAVE_OUT).strip()
        if chosen == LEAVE_OUT:
            if clause.is_required:
                errors[clause.key] = [f"Choose an option for “{clause.title}”."]
            continue
        if chosen not in {option.key for option in clause.options.all()}:
            errors[clause.key] = [f"Choose one of the options for “{clause.title}”."]
            continue
        cleaned[clause.key] = chosen
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, field_errors=errors)
    return cleaned


def _fields_check(fields: DraftFields) -> DraftFields:
    errors: dict[str, list[str]] = {}
    title = " ".join(fields.title.split())
    name = " ".join(fields.contact_name.split())
    email = fields.contact_email.strip()
    phone = " ".join(fields.contact_phone.split())
    if not title:
        errors["title"] = ["Give the policy a title."]
    elif len(title) > 300:
        errors["title"] = ["At most 300 characters."]
    if not name:
        errors["contact_name"] = ["Name the person or office people ask about the policy."]
    elif len(name) > 200:
        errors["contact_name"] = ["At most 200 characters."]
    try:
        validate_email(email)
    except ValidationError:
        errors["contact_email"] = ["Give an email address people can write to."]
    if len(email) > 254:
        errors["contact_email"] = ["At most 254 characters."]
    if len(phone) > 40:
        errors["contact_phone"] = ["At most 40 characters."]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(f"Please correct: {first}", field_errors=errors)
    return DraftFields(title, name, email, phone, fields.effective_on)


# --- Drafts --------------------------------------------------------------------------------------


def _organization_get(organization_id: int) -> Organization:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        raise NotFound("No such organization.")
    return organization


@transaction.atomic
def draft_create(
    *,
    actor: Any,
    organization: Organization,
    fields: DraftFields | None = None,
    choices: Mapping[str, str] | None = None,
) -> PolicyDraft:
    """A new draft for ``organization``, with the contacts given (the actor's by default) and
    the recommended option of every clause unless ``choices`` says otherwise."""
    if not can_build_policy(actor, organization.pk):
        raise PermissionRefused(
            "Only the organization's leaders and center staff build its policy."
        )
    if PolicyDraft.objects.filter(organization=organization).count() >= MAX_DRAFTS_PER_ORGANIZATION:
        raise ValidationFailed(
            f"An organization keeps at most {MAX_DRAFTS_PER_ORGANIZATION} drafts: delete one first."
        )
    fields = _fields_check(
        fields
        or DraftFields(
            title=DEFAULT_TITLE,
            contact_name=actor.display_name or actor.email,
            contact_email=actor.email,
        )
    )
    clauses = active_clauses()
    chosen = default_choices(clauses) if choices is None else choices_check(choices, clauses)
    draft = PolicyDraft.objects.create(
        organization=organization,
        title=fields.title,
        contact_name=fields.contact_name,
        contact_email=fields.contact_email,
        contact_phone=fields.contact_phone,
        effective_on=fields.effective_on,
        choices=chosen,
        created_by=actor,
    )
    audit_record(
        action="library.policy_draft_create",
        actor=actor,
        target=draft,
        data={"organization": organization.pk},
    )
    return draft


def draft_create_for(*, actor: Any, organization_id: int, **kwargs: Any) -> PolicyDraft:
    return draft_create(actor=actor, organization=_organization_get(organization_id), **kwargs)


def _locked(draft: PolicyDraft) -> PolicyDraft:
    locked = PolicyDraft.objects.select_for_update().filter(pk=draft.pk).first()
    if locked is None:
        raise NotFound("That draft no longer exists.")
    return locked


@transaction.atomic
def draft_update(
    *, actor: Any, draft: PolicyDraft, fields: DraftFields, choices: Mapping[str, str]
) -> PolicyDraft:
    """Save the guided form: title, contacts, effective date and one option per clause (or
    ``LEAVE_OUT`` for a clause that is not required)."""
    draft = _locked(draft)
    if not can_edit_policy_draft(actor, draft):
        raise PermissionRefused("Only the organization's leaders and center staff edit its policy.")
    fields = _fields_check(fields)
    cleaned = choices_check(choices, active_clauses())
    draft.title = fields.title
    draft.contact_name = fields.contact_name
    draft.contact_email = fields.contact_email
    draft.contact_phone = fields.contact_phone
    draft.effective_on = fields.effective_on
    draft.choices = cleaned
    draft.save()
    return draft


@transaction.atomic
def draft_delete(*, actor: Any, draft: PolicyDraft) -> None:
    """Delete a draft. A policy already built from it stays in the library with its versions."""
    draft = _locked(draft)
    if not can_edit_policy_draft(actor, draft):
        raise PermissionRefused("Only the organization's leaders and center staff edit its policy.")
    audit_record(
        action="library.policy_draft_delete",
        actor=actor,
        target=draft,
        data={"organization": draft.organization_id, "resource": draft.resource_id},
    )
    draft.delete()


# --- Composing and building ----------------------------------------------------------------------


def fill_in(text: str, values: Mapping[str, str]) -> str:
    """Replace the known ``{placeholders}``; any other brace is left as written."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), text)


def policy_compose(
    draft: PolicyDraft,
    clauses: list[PolicyClause] | None = None,
    *,
    organization_name: str | None = None,
) -> ComposedPolicy:
    """The policy as it stands: the draft's chosen options in clause order, filled in. Clauses
    left out, inactive or with an unknown option are skipped (``choices_check`` refuses those
    before a build)."""
    clauses = active_clauses() if clauses is None else clauses
    organization = organization_name or draft.organization.name
    values = {
        "organization": organization,
        "contact_name": draft.contact_name,
        "contact_email": draft.contact_email,
        "contact_phone": draft.contact_phone,
    }
    sections: list[PolicySection] = []
    for clause in clauses:
        chosen = (draft.choices or {}).get(clause.key)
        option = next((o for o in clause.options.all() if o.key == chosen), None)
        if option is None:
            continue
        sections.append(
            PolicySection(
                number=len(sections) + 1, title=clause.title, text=fill_in(option.text, values)
            )
        )
    return ComposedPolicy(
        title=draft.title,
        organization=organization,
        effective_on=draft.effective_on,
        contact_name=draft.contact_name,
        contact_email=draft.contact_email,
        contact_phone=draft.contact_phone,
        sections=tuple(sections),
    )


def file_stem(draft: PolicyDraft) -> str:
    """The download name without extension, e.g. ``matrix-hospital-social-media-policy``."""
    return slugify(f"{draft.organization.name} {draft.title}")[:120] or "policy"


def _resource_create(*, actor: Any, draft: PolicyDraft, summary: str) -> Resource:
    organization = draft.organization
    resource = Resource.objects.create(
        slug=resource_services.unique_slug(f"{organization.name} {draft.title}"),
        kind=ResourceType.POLICY,
        title=draft.title,
        summary=summary,
        language="en",
        license=License.ALL_RIGHTS,
        access=Access.ORGANIZATION,
        organization=organization,
        is_listed=False,
        status=ResourceStatus.PUBLISHED,
        published_at=timezone.now(),
        created_by=actor,
        is_submission=False,
        from_policy_builder=True,
    )
    ResourceAuthor.objects.create(
        resource=resource,
        position=0,
        name=organization.name[:200],
        organization=organization,
        is_organization=True,
    )
    audit_record(
        action="library.resource_create",
        actor=actor,
        target=resource,
        data={"kind": resource.kind, "access": resource.access, "policy_builder": True},
    )
    return resource


@transaction.atomic
def policy_build(*, actor: Any, draft: PolicyDraft, change_note: str = "") -> BuildResult:
    """Render the draft as DOCX and PDF and save them (with the policy as Markdown) as the next
    version of the organization's private policy resource; the first build creates it."""
    draft = _locked(draft)
    if not can_edit_policy_draft(actor, draft):
        raise PermissionRefused(
            "Only the organization's leaders and center staff build its policy."
        )
    clauses = active_clauses()
    choices_check(draft.choices or {}, clauses)
    _fields_check(
        DraftFields(
            draft.title,
            draft.contact_name,
            draft.contact_email,
            draft.contact_phone,
            draft.effective_on,
        )
    )
    organization = draft.organization
    composed = policy_compose(draft, clauses, organization_name=organization.name)
    summary = (
        f"The social-media policy of {organization.name}, built with the policy builder: "
        f"{len(composed.sections)} sections. Private to {organization.name}."
    )[:3000]
    existing_id = draft.resource_id
    created = existing_id is None
    if existing_id is None:
        resource = _resource_create(actor=actor, draft=draft, summary=summary)
        draft.resource = resource
        draft.save(update_fields=["resource", "updated_at"])
    else:
        resource = Resource.objects.select_for_update().get(pk=existing_id)
    number = (resource.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    effective = draft.effective_on or timezone.localdate()
    note = " ".join(change_note.split())[:500] or (
        "First build with the policy builder."
        if created
        else f"Rebuilt with the policy builder ({len(composed.sections)} sections)."
    )
    version = ResourceVersion.objects.create(
        resource=resource,
        number=number,
        change_note=note,
        body=composed.as_markdown(),
        created_by=actor,
    )
    stem = file_stem(draft)
    documents = [
        (f"{stem}.docx", policy_docx(composed), "DOCX"),
        (f"{stem}.pdf", policy_pdf(composed), "PDF"),
    ]
    for position, (name, content, label) in enumerate(documents):
        upload = resource_services.file_validate(SimpleUploadedFile(name, content))
        resource_services.file_save(
            version=version,
            upload=upload,
            title=f"{draft.title} ({label})",
            position=position,
        )
    resource.title = draft.title
    resource.summary = summary
    resource.current_version = version
    resource.published_on = effective
    resource.review_by = effective + timedelta(days=REVIEW_AFTER_DAYS)
    if resource.status != ResourceStatus.WITHDRAWN:
        # A policy staff withdrew stays withdrawn: a new build adds a version, nothing more.
        resource.status = ResourceStatus.PUBLISHED
    resource.published_at = resource.published_at or timezone.now()
    resource.save(
        update_fields=[
            "title",
            "summary",
            "current_version",
            "published_on",
            "review_by",
            "status",
            "published_at",
            "updated_at",
        ]
    )
    draft.save(update_fields=["updated_at"])
    audit_record(
        action="library.version_create",
        actor=actor,
        target=resource,
        data={"number": number, "files": len(documents), "policy_builder": True},
    )
    resource_services.resource_search_sync_on_commit(resource.pk)
    return BuildResult(draft=draft, resource=resource, version=version, created=created)


# --- Clause management (staff) -------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseFields:
    key: str
    title: str
    explanation: str
    is_required: bool = True
    is_active: bool = True


@dataclass(frozen=True)
class OptionFields:
    key: str
    label: str
    text: str
    is_default: bool = False


def _staff_only(actor: Any) -> None:
    if not can_manage_policy_clauses(actor):
        raise PermissionRefused("Only center staff manage the policy clauses.")


def _key_check(key: str) -> str:
    cleaned = slugify(key)[:60]
    if not cleaned:
        raise ValidationFailed(
            "Give a short key of letters, digits and hyphens, e.g. patient-privacy.",
            field_errors={"key": ["Letters, digits and hyphens, e.g. patient-privacy."]},
        )
    return cleaned


def _text_check(fields: dict[str, tuple[str, int]]) -> None:
    errors = {}
    for name, (value, limit) in fields.items():
        if not value.strip():
            errors[name] = ["This is required."]
        elif len(value) > limit:
            errors[name] = [f"At most {limit} characters."]
    if errors:
        first_name, first = next(iter(errors.items()))
        raise ValidationFailed(f"Please correct {first_name}: {first[0]}", field_errors=errors)


def _placeholders_check(text: str) -> None:
    unknown = sorted(set(re.findall(r"\{([a-z_]+)\}", text)) - set(PLACEHOLDERS))
    if unknown:
        allowed = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        message = f"Unknown placeholder {{{unknown[0]}}}: use {allowed}."
        raise ValidationFailed(message, field_errors={"text": [message]})


@transaction.atomic
def clause_save(
    *, actor: Any, fields: ClauseFields, clause: PolicyClause | None = None
) -> PolicyClause:
    """Create a clause (at the end) or change one. Deactivating hides it from new builds."""
    _staff_only(actor)
    key = _key_check(fields.key)
    _text_check({"title": (fields.title, 200), "explanation": (fields.explanation, 3000)})
    taken = PolicyClause.objects.filter(key=key)
    if clause is not None:
        taken = taken.exclude(pk=clause.pk)
    if taken.exists():
        raise ValidationFailed(
            "Another clause has that key.", field_errors={"key": ["Another clause has that key."]}
        )
    if clause is None:
        top = PolicyClause.objects.aggregate(top=Max("position"))["top"] or 0
        clause = PolicyClause(position=min(top + 10, 32_000))
        before: dict[str, Any] = {}
    else:
        clause = PolicyClause.objects.select_for_update().get(pk=clause.pk)
        before = {"is_active": clause.is_active, "is_required": clause.is_required}
    clause.key = key
    clause.title = fields.title.strip()
    clause.explanation = fields.explanation.strip()
    clause.is_required = fields.is_required
    clause.is_active = fields.is_active
    clause.save()
    audit_record(
        action="library.policy_clause_save",
        actor=actor,
        target=clause,
        data={
            "key": key,
            "before": before,
            "after": {"is_active": clause.is_active, "is_required": clause.is_required},
        },
    )
    return clause


def _swap(items: list[Any], index: int, direction: str) -> list[Any] | None:
    other = index - 1 if direction == "up" else index + 1
    if direction not in {"up", "down"}:
        raise ValidationFailed("Move up or down.", field_errors={"direction": ["Up or down."]})
    if other < 0 or other >= len(items):
        return None
    items[index], items[other] = items[other], items[index]
    return items


@transaction.atomic
def clause_move(*, actor: Any, clause: PolicyClause, direction: str) -> None:
    """Move a clause up or down in the policy (renumbers every clause 10, 20, ...)."""
    _staff_only(actor)
    clauses = list(PolicyClause.objects.select_for_update().order_by("position", "id"))
    index = next((i for i, c in enumerate(clauses) if c.pk == clause.pk), None)
    if index is None:
        raise NotFound("No such clause.")
    moved = _swap(clauses, index, direction)
    if moved is None:
        return
    for position, item in enumerate(moved, start=1):
        item.position = position * 10
    PolicyClause.objects.bulk_update(moved, ["position"])


@transaction.atomic
def option_save(
    *,
    actor: Any,
    clause: PolicyClause,
    fields: OptionFields,
    option: PolicyOption | None = None,
) -> PolicyOption:
    """Create or change an option of a clause; making it the default unsets the others."""
    _staff_only(actor)
    clause = PolicyClause.objects.select_for_update().get(pk=clause.pk)
    key = _key_check(fields.key)
    _text_check({"label": (fields.label, 200), "text": (fields.text, 5000)})
    _placeholders_check(fields.text)
    taken = PolicyOption.objects.filter(clause=clause, key=key)
    if option is not None:
        taken = taken.exclude(pk=option.pk)
    if taken.exists():
        raise ValidationFailed(
            "Another option of this clause has that key.",
            field_errors={"key": ["Another option of this clause has that key."]},
        )
    if option is None:
        top = clause.options.aggregate(top=Max("position"))["top"] or 0
        option = PolicyOption(clause=clause, position=min(top + 10, 32_000))
    elif option.clause_id != clause.pk:
        raise NotFound("No such option.")
    option.key = key
    option.label = fields.label.strip()
    option.text = fields.text.strip()
    option.is_default = fields.is_default
    option.save()
    if option.is_default:
        clause.options.exclude(pk=option.pk).update(is_default=False)
    audit_record(
        action="library.policy_option_save",
        actor=actor,
        target=clause,
        data={"option": key},
    )
    return option


@transaction.atomic
def option_move(*, actor: Any, option: PolicyOption, direction: str) -> None:
    _staff_only(actor)
    PolicyClause.objects.select_for_update().filter(pk=option.clause_id).first()
    options = list(
        PolicyOption.objects.filter(clause_id=option.clause_id).order_by("position", "id")
    )
    index = next((i for i, o in enumerate(options) if o.pk == option.pk), None)
    if index is None:
        raise NotFound("No such option.")
    moved = _swap(options, index, direction)
    if moved is None:
        return
    for position, item in enumerate(moved, start=1):
        item.position = position * 10
    PolicyOption.objects.bulk_update(moved, ["position"])


@transaction.atomic
def option_delete(*, actor: Any, option: PolicyOption) -> None:
    """Delete an option; a clause keeps at least one. Drafts that chose it must choose again."""
    _staff_only(actor)
    clause = PolicyClause.objects.select_for_update().get(pk=option.clause_id)
    if clause.options.count() <= 1:
        raise ValidationFailed(
            "A clause needs at least one option: add another before deleting this one."
        )
    audit_record(
        action="library.policy_option_delete",
        actor=actor,
        target=clause,
        data={"option": option.key},
    )
    option.delete()
