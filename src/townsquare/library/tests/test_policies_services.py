"""The policy builder's services: the clause set and its loader, drafts, building into a versioned
private resource, and staff clause management."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from townsquare.accounts.tests.factories import make_matrix_people
from townsquare.core.errors import PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord
from townsquare.core.search import search_ids

from ..models import (
    Access,
    Extraction,
    FileKind,
    PolicyClause,
    PolicyDraft,
    PolicyOption,
    Resource,
    ResourceFile,
    ResourceStatus,
    ResourceType,
)
from ..permissions import can_open_resource, can_see_resource
from ..policy_clauses import CLAUSES, clauses_load
from ..search import LISTING_KIND, RESOURCE_KIND
from ..selectors.visibility import published_openable_by
from ..services import policies as services
from .support_policies import docx_text, load_clauses, make_draft, pdf_text, stored_bytes

pytestmark = pytest.mark.django_db

ISSUE_CLAUSES = [
    "patient-privacy",
    "disclosure",
    "accounts",
    "branded-accounts",
    "patients-online",
    "reviews",
    "confidentiality",
    "consequences",
]


# --- The clause set ------------------------------------------------------------------------------


def test_the_project_clause_set_covers_the_issue_with_two_to_four_options_each():
    assert [clause.key for clause in CLAUSES] == ISSUE_CLAUSES
    for clause in CLAUSES:
        assert 2 <= len(clause.options) <= 4, clause.key
        assert sum(option.is_default for option in clause.options) == 1, clause.key
        assert len(clause.explanation) <= 3000
        assert "{" not in clause.explanation, clause.key
        for option in clause.options:
            names = set(re.findall(r"\{([a-z_]+)\}", option.text))
            assert names <= set(services.PLACEHOLDERS), (clause.key, option.key)
            assert "{organization}" in option.text or "{contact_name}" in option.text
            assert len(option.text) <= 5000
    assert [c.key for c in CLAUSES if not c.is_required] == ["branded-accounts"]
    texts = " ".join(option.text for clause in CLAUSES for option in clause.options)
    for phrase in ["protected health information", "Endorsement Guides", "911", "HIPAA"]:
        assert phrase in texts or phrase in " ".join(c.explanation for c in CLAUSES)


def test_clauses_load_is_idempotent_and_keeps_staff_edits_unless_updating():
    options = sum(len(clause.options) for clause in CLAUSES)
    assert clauses_load() == 8 + options
    assert clauses_load() == 0
    assert PolicyClause.objects.count() == 8
    assert PolicyOption.objects.count() == options
    assert list(PolicyClause.objects.values_list("key", flat=True)) == ISSUE_CLAUSES
    PolicyClause.objects.filter(key="reviews").update(title="Reviews, our way", is_active=False)
    assert clauses_load() == 0
    assert PolicyClause.objects.get(key="reviews").title == "Reviews, our way"
    assert clauses_load(update=True) == 0
    restored = PolicyClause.objects.get(key="reviews")
    assert (restored.title, restored.is_active) == ("Responding to online reviews", True)


def test_the_loader_command_reports_what_it_did(capsys):
    call_command("library_load_clauses")
    options = sum(len(clause.options) for clause in CLAUSES)
    assert capsys.readouterr().out.strip() == (
        f"Policy clauses: {8 + options} created. Now 8 clauses with {options} options."
    )
    call_command("library_load_clauses")
    assert capsys.readouterr().out.startswith("Policy clauses: 0 created.")


# --- Drafts --------------------------------------------------------------------------------------


@pytest.fixture
def cast():
    load_clauses()
    return make_matrix_people()


def test_a_new_draft_chooses_the_recommended_options_and_the_leaders_contacts(cast):
    leader = cast.people["leader"]
    draft = services.draft_create(actor=leader, organization=cast.organization)
    assert draft.title == "Social media policy"
    assert (draft.contact_name, draft.contact_email) == ("Lena Leader", leader.email)
    assert draft.choices == {
        "patient-privacy": "no-patient-information",
        "disclosure": "always-disclose",
        "accounts": "keep-separate",
        "branded-accounts": "central-approval",
        "patients-online": "no-personal-contact",
        "reviews": "standard-reply",
        "confidentiality": "no-internal-information",
        "consequences": "progressive",
    }
    assert AuditRecord.objects.filter(action="library.policy_draft_create").count() == 1


@pytest.mark.parametrize("role", ["member", "org_member", "outsider", "patient", "moderator"])
def test_only_leaders_and_staff_start_a_policy(cast, role):
    with pytest.raises(PermissionRefused):
        services.draft_create(actor=cast.people[role], organization=cast.organization)
    with pytest.raises(PermissionRefused):
        services.draft_create(actor=AnonymousUser(), organization=cast.organization)
    assert PolicyDraft.objects.count() == 0


def test_staff_start_a_policy_for_any_organization(cast):
    draft = services.draft_create(actor=cast.people["staff"], organization=cast.organization)
    assert draft.organization == cast.organization


def _fields(**overrides: Any) -> services.DraftFields:
    values: dict[str, Any] = {
        "title": "Social media policy",
        "contact_name": "Priya Privacy",
        "contact_email": "privacy@example.org",
        "contact_phone": "",
        "effective_on": date(2027, 1, 1),
    }
    values.update(overrides)
    return services.DraftFields(**values)


def test_saving_the_guided_form_stores_the_choices_and_leaves_optional_clauses_out(cast):
    leader = cast.people["leader"]
    draft = make_draft(actor=leader, organization=cast.organization)
    choices = {**draft.choices, "reviews": "no-public-reply", "branded-accounts": ""}
    services.draft_update(actor=leader, draft=draft, fields=_fields(), choices=choices)
    draft.refresh_from_db()
    assert draft.choices["reviews"] == "no-public-reply"
    assert "branded-accounts" not in draft.choices
    assert draft.effective_on == date(2027, 1, 1)
    sections = services.policy_compose(draft).sections
    assert [section.number for section in sections] == list(range(1, 8))
    assert "Approval of branded accounts" not in [section.title for section in sections]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"patient-privacy": ""}, "patient-privacy"),
        ({"reviews": "thank-them-publicly"}, "reviews"),
    ],
)
def test_a_required_clause_left_out_or_an_unknown_option_is_refused(cast, change, field):
    leader = cast.people["leader"]
    draft = make_draft(actor=leader, organization=cast.organization)
    before = dict(draft.choices)
    with pytest.raises(ValidationFailed) as raised:
        services.draft_update(
            actor=leader, draft=draft, fields=_fields(), choices={**before, **change}
        )
    assert list(raised.value.field_errors) == [field]
    draft.refresh_from_db()
    assert draft.choices == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"contact_name": ""}, "contact_name"),
        ({"contact_email": "not an email"}, "contact_email"),
        ({"contact_phone": "1" * 41}, "contact_phone"),
    ],
)
def test_bad_details_are_refused_and_nothing_changes(cast, overrides, field):
    leader = cast.people["leader"]
    draft = make_draft(actor=leader, organization=cast.organization)
    with pytest.raises(ValidationFailed) as raised:
        services.draft_update(
            actor=leader, draft=draft, fields=_fields(**overrides), choices=draft.choices
        )
    assert field in raised.value.field_errors
    draft.refresh_from_db()
    assert draft.contact_email == "privacy@example.org"


def test_another_organizations_leader_may_not_edit_or_build(cast):
    leader = cast.people["leader"]
    draft = make_draft(actor=leader, organization=cast.organization)
    for role in ["outsider", "org_member", "member"]:
        with pytest.raises(PermissionRefused):
            services.draft_update(
                actor=cast.people[role], draft=draft, fields=_fields(), choices=draft.choices
            )
        with pytest.raises(PermissionRefused):
            services.policy_build(actor=cast.people[role], draft=draft)
    assert Resource.objects.count() == 0


def test_placeholders_are_filled_in_and_other_braces_left_alone():
    values = {"organization": "Mercy", "contact_email": "a@b.org"}
    assert services.fill_in("{organization} {x} {contact_email} {{organization}}", values) == (
        "Mercy {x} a@b.org {Mercy}"
    )


# --- Building ------------------------------------------------------------------------------------


def test_the_first_build_creates_the_private_policy_resource_with_docx_and_pdf(
    cast, django_capture_on_commit_callbacks
):
    leader = cast.people["leader"]
    draft = make_draft(actor=leader, organization=cast.organization, effective_on=date(2027, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        result = services.policy_build(actor=leader, draft=draft)
    resource = result.resource
    assert result.created is True
    assert (resource.kind, resource.access, resource.organization) == (
        ResourceType.POLICY,
        Access.ORGANIZATION,
        cast.organization,
    )
    assert (resource.is_listed, resource.status, resource.from_policy_builder) == (
        False,
        ResourceStatus.PUBLISHED,
        True,
    )
    assert resource.published_on == date(2027, 3, 1)
    assert resource.review_by == date(2028, 2, 29)
    assert resource.created_by == leader
    assert [a.name for a in resource.authors.all()] == ["Matrix Hospital"]
    assert resource.current_version == result.version
    assert result.version.number == 1
    assert result.version.change_note == "First build with the policy builder."
    assert "## 1. Protecting patient privacy and PHI" in result.version.body
    files = list(ResourceFile.objects.filter(version=result.version).order_by("position"))
    assert [(f.kind, f.original_name) for f in files] == [
        (FileKind.DOCX, "matrix-hospital-social-media-policy.docx"),
        (FileKind.PDF, "matrix-hospital-social-media-policy.pdf"),
    ]
    assert [f.extraction for f in files] == [Extraction.DONE, Extraction.DONE]
    word = docx_text(stored_bytes(files[0]))
    pdf = pdf_text(stored_bytes(files[1]))
    for text in (word, " ".join(word.split())):
        assert "Matrix Hospital" in text
    for expected in [
        "Social media policy",
        "Matrix Hospital",
        "Effective March 1, 2027",
        "Priya Privacy, privacy@example.org, +1 555 0100",
        "1. Protecting patient privacy and PHI",
        "8. Consequences and reporting",
        "ask Priya Privacy (privacy@example.org)",
    ]:
        assert expected in " ".join(word.split()), expected
        assert expected in pdf, expected
    draft.refresh_from_db()
    assert draft.resource == resource
    assert AuditRecord.objects.filter(
        action="library.resource_create", target_id=str(resource.pk)
    ).exists()


def test_the_built_policy_is_searchable_for_the_organization_only(
    cast, django_capture_on_commit_callbacks
):
    leader = cast.people["leader"]
    draft = make_draft(actor=leader, organization=cast.organization)
    with django_capture_on_commit_callbacks(execute=True):
        resource = services.policy_build(actor=leader, draft=draft).resource
    assert search_ids(RESOURCE_KIND, "wristband") == [resource.pk]
    assert search_ids(LISTING_KIND, "policy") == []
    people = cast.people
    for role in ["org_member", "leader", "staff"]:
        assert can_open_resource(people[role], resource), role
        assert published_openable_by(people[role]).filter(pk=resource.pk).exists(), role
    for role in ["outsider", "member", "patient", "moderator"]:
        assert not can_see_resource(people[role], resource), role
        assert not published_openable_by(people[role]).filter(pk=resource.pk).exists(), role
    assert not can_see_resource(AnonymousUser(), resource)


def test_each_build_is_a_new_version_and_the_old_ones_stay(
    cast, django_capture_on_commit_callbacks
):
    leader = cast.people["leader"]
    draft = make_draft(actor=leader, organization=cast.organization)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.policy_build(actor=leader, draft=draft)
    services.draft_update(
        actor=leader,
        draft=draft,
        fields=_fields(title="Social media and online reviews policy"),
        choices={**draft.choices, "reviews": "personal-reply-no-phi"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = services.policy_build(
            actor=cast.people["staff"], draft=draft, change_note="Reviews answered personally."
        )
    assert second.created is False
    assert second.resource.pk == first.resource.pk
    assert second.version.number == 2
    assert second.version.change_note == "Reviews answered personally."
    resource = Resource.objects.get()
    assert resource.title == "Social media and online reviews policy"
    assert resource.current_version == second.version
    assert list(resource.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert ResourceFile.objects.filter(version=first.version).count() == 2
    new_pdf = ResourceFile.objects.get(version=second.version, kind=FileKind.PDF)
    assert "patient-experience team replies" in pdf_text(stored_bytes(new_pdf))
    assert "Thank you for your feedback" not in pdf_text(stored_bytes(new_pdf))


def test_a_build_with_a_new_required_clause_unanswered_is_refused(cast):
    leader = cast.people["leader"]
    draft = make_draft(actor=leader, organization=cast.organization)
    clause = services.clause_save(
        actor=cast.people["staff"],
        fields=services.ClauseFields(key="ai-tools", title="AI tools", explanation="Why."),
    )
    services.option_save(
        actor=cast.people["staff"],
        clause=clause,
        fields=services.OptionFields(key="never-phi", label="No PHI", text="{organization}."),
    )
    with pytest.raises(ValidationFailed) as raised:
        services.policy_build(actor=leader, draft=draft)
    assert list(raised.value.field_errors) == ["ai-tools"]
    assert Resource.objects.count() == 0
    assert ResourceFile.objects.count() == 0


def test_deleting_a_draft_keeps_the_policy_in_the_library(cast):
    leader = cast.people["leader"]
    draft = make_draft(actor=leader, organization=cast.organization)
    resource = services.policy_build(actor=leader, draft=draft).resource
    services.draft_delete(actor=leader, draft=draft)
    assert PolicyDraft.objects.count() == 0
    assert Resource.objects.filter(pk=resource.pk, status=ResourceStatus.PUBLISHED).exists()


# --- Clause management ---------------------------------------------------------------------------


def test_only_staff_manage_clauses(cast):
    clause = PolicyClause.objects.get(key="reviews")
    option = clause.options.get(key="standard-reply")
    fields = services.ClauseFields(key="x", title="X", explanation="Y")
    for role in ["leader", "member", "moderator"]:
        person = cast.people[role]
        with pytest.raises(PermissionRefused):
            services.clause_save(actor=person, fields=fields)
        with pytest.raises(PermissionRefused):
            services.clause_move(actor=person, clause=clause, direction="up")
        with pytest.raises(PermissionRefused):
            services.option_delete(actor=person, option=option)
    assert PolicyClause.objects.count() == 8


def test_staff_add_reorder_and_deactivate_clauses(cast):
    staff = cast.people["staff"]
    clause = services.clause_save(
        actor=staff,
        fields=services.ClauseFields(
            key="Live Streaming", title="Live streaming", explanation="Streams show everything."
        ),
    )
    assert clause.key == "live-streaming"
    assert PolicyClause.objects.order_by("position", "id").last() == clause
    services.clause_move(actor=staff, clause=clause, direction="up")
    keys = list(PolicyClause.objects.values_list("key", flat=True))
    assert keys[-2:] == ["live-streaming", "consequences"]
    services.clause_move(
        actor=staff, clause=PolicyClause.objects.get(key="patient-privacy"), direction="up"
    )
    assert list(PolicyClause.objects.values_list("key", flat=True)) == keys
    with pytest.raises(ValidationFailed):
        services.clause_save(
            actor=staff,
            fields=services.ClauseFields(key="reviews", title="Again", explanation="Dup."),
        )
    services.clause_save(
        actor=staff,
        clause=clause,
        fields=services.ClauseFields(
            key="live-streaming", title="Live streaming", explanation="E.", is_active=False
        ),
    )
    assert [c.key for c in services.active_clauses()] == ISSUE_CLAUSES


def test_staff_manage_options_defaults_placeholders_and_the_last_option(cast):
    staff = cast.people["staff"]
    clause = PolicyClause.objects.get(key="confidentiality")
    option = services.option_save(
        actor=staff,
        clause=clause,
        fields=services.OptionFields(
            key="short", label="Short", text="Keep {organization}'s secrets.", is_default=True
        ),
    )
    assert list(clause.options.filter(is_default=True)) == [option]
    assert list(clause.options.values_list("key", flat=True))[-1] == "short"
    services.option_move(actor=staff, option=option, direction="up")
    assert list(clause.options.values_list("key", flat=True))[-2] == "short"
    with pytest.raises(ValidationFailed) as raised:
        services.option_save(
            actor=staff,
            clause=clause,
            fields=services.OptionFields(key="bad", label="Bad", text="Ask {manager}."),
        )
    assert raised.value.field_errors == {
        "text": [
            "Unknown placeholder {manager}: use {organization}, {contact_name}, "
            "{contact_email}, {contact_phone}."
        ]
    }
    for other in list(clause.options.exclude(pk=option.pk)):
        services.option_delete(actor=staff, option=other)
    with pytest.raises(ValidationFailed):
        services.option_delete(actor=staff, option=option)
    assert list(clause.options.all()) == [option]
