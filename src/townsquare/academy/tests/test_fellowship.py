"""The fellowship ladder: drafts, submission rules, reviews, transitions, awards, the badges tag."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from townsquare.academy.models import (
    Credential,
    CredentialKind,
    FellowshipLevel,
    FellowshipSubmission,
    LearningStatement,
    SubmissionStatus,
)
from townsquare.academy.services import fellowship as services
from townsquare.academy.tests.factories import make_instructor
from townsquare.accounts.models import Role
from townsquare.accounts.tests.factories import make_user
from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord

pytestmark = pytest.mark.django_db

PLAN = "## Plan\n\n" + " ".join(["We will post weekly patient-safety tips."] * 12)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def silver_report(words: int = 800, *, sections=services.SILVER_SECTIONS) -> str:
    headings = "\n\n".join(f"## {name}\n\n" for name in sections)
    heading_words = sum(len(name.split()) for name in sections)
    filler = " ".join(["word"] * (words - heading_words))
    return f"{headings}\n\n{filler}\n"


def approved(user, level, reviewer, **fields):
    body = {"bronze": PLAN, "silver": silver_report(), "gold": "Our results, summarized."}[level]
    attachment = SimpleUploadedFile("talk.pdf", PDF) if level == "gold" else None
    submission = services.submission_create(
        actor=user, level=level, title=f"{level} work", body=body, attachment=attachment
    )
    services.submission_submit(actor=user, submission=submission)
    return services.submission_decide(actor=reviewer, submission=submission, decision="approve")


@pytest.fixture
def reviewer(db):
    return make_instructor(display_name="Ivy Instructor")


# --- word counting ------------------------------------------------------------------------------

_words = st.lists(st.from_regex(r"[A-Za-z][a-z0-9]{0,9}", fullmatch=True), max_size=60)


@hypothesis_settings(deadline=None)
@given(_words)
def test_word_count_counts_plain_words(words):
    assert services.markdown_word_count(" ".join(words)) == len(words)


@hypothesis_settings(deadline=None)
@given(_words)
def test_markup_does_not_count(words):
    marked = "\n".join(
        [
            f"## {word}"
            if index % 5 == 0
            else f"- **{word}** [link](https://e.org/x-y-z)"
            if index % 5 == 1
            else f"> _{word}_"
            if index % 5 == 2
            else f"1. `{word}`"
            if index % 5 == 3
            else f"<em>{word}</em>"
            for index, word in enumerate(words)
        ]
    )
    assert services.markdown_word_count(marked) == len(words) + sum(
        1 for index in range(len(words)) if index % 5 == 1
    )  # the link text "link" is a word a reader sees


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("# Goals\n\nOne two three.", 4),
        ("It's a well-known fact — really!", 5),
        ("![chart of results](img.png) done", 4),
        ("***\n\n---\n\nword", 1),
        ("```\ncode here\n```\nafter", 3),
    ],
)
def test_word_count_examples(text, count):
    assert services.markdown_word_count(text) == count


def test_silver_report_rules():
    assert services.silver_report_problems(silver_report(800)) == []
    assert services.silver_report_problems(silver_report(750)) == []
    assert services.silver_report_problems(silver_report(1200)) == []
    (short,) = services.silver_report_problems(silver_report(749))
    assert "749 words" in short
    assert "at least 750" in short
    (long,) = services.silver_report_problems(silver_report(1201))
    assert "1,201 words" in long
    assert "limit is 1,200" in long
    (missing,) = services.silver_report_problems(
        silver_report(800, sections=["Goals", "Results"]) + " word word word word word"
    )
    assert "What we did, Lessons learned" in missing
    headings_in_other_case = silver_report(800).replace("## Results", "### results:")
    assert services.silver_report_problems(headings_in_other_case) == []


# --- the flow -----------------------------------------------------------------------------------


def test_bronze_draft_submit_request_changes_resubmit_approve(
    member, reviewer, django_capture_on_commit_callbacks
):
    submission = services.submission_create(actor=member, level="bronze", title="Plan", body="")
    assert submission.status == SubmissionStatus.DRAFT
    with pytest.raises(ValidationFailed, match="strategic plan"):
        services.submission_submit(actor=member, submission=submission)
    services.submission_update(actor=member, submission=submission, title="Plan", body=PLAN)
    services.submission_submit(actor=member, submission=submission)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_at

    with pytest.raises(ValidationFailed, match="comment is required"):
        services.submission_decide(
            actor=reviewer, submission=submission, decision="request_changes", comment=" "
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_decide(
            actor=reviewer,
            submission=submission,
            decision="request_changes",
            comment="Add a budget.",
        )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CHANGES_REQUESTED
    assert submission.comments.get().decision == SubmissionStatus.CHANGES_REQUESTED
    assert "Changes requested" in mail.outbox[-1].subject

    services.submission_update(
        actor=member, submission=submission, title="Plan", body=PLAN + " Budget: small."
    )
    services.submission_submit(actor=member, submission=submission)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_decide(actor=reviewer, submission=submission, decision="approve")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED
    assert submission.reviewer == reviewer
    credential = submission.credential
    assert credential is not None
    assert credential.kind == CredentialKind.FELLOWSHIP
    assert credential.level == FellowshipLevel.BRONZE
    assert credential.title == "Bronze Fellow in Health-Care Social Media"
    assert LearningStatement.objects.filter(verb="earned", object_id=credential.pk).exists()
    assert any("approved" in message.subject for message in mail.outbox)
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {
        "academy.fellowship.created",
        "academy.fellowship.submitted",
        "academy.fellowship.decided",
        "academy.credential.issued",
    } <= actions


def test_levels_need_the_previous_one(member, reviewer):
    with pytest.raises(ValidationFailed, match="needs the Bronze fellowship first"):
        services.submission_create(actor=member, level="silver", title="Report")
    approved(member, "bronze", reviewer)
    with pytest.raises(ValidationFailed, match="needs the Silver"):
        services.submission_create(actor=member, level="gold", title="Talk")
    with pytest.raises(Conflict, match="already hold the Bronze"):
        services.submission_create(actor=member, level="bronze", title="Again")
    approved(member, "silver", reviewer)
    gold = approved(member, "gold", reviewer)
    assert gold.credential.level == "gold"
    assert services.levels_held(member) == {"bronze", "silver", "gold"}


def test_silver_submit_names_what_is_missing(member, reviewer):
    approved(member, "bronze", reviewer)
    submission = services.submission_create(
        actor=member, level="silver", title="Report", body="## Goals\n\nToo short."
    )
    with pytest.raises(ValidationFailed) as error:
        services.submission_submit(actor=member, submission=submission)
    messages = " ".join(error.value.field_errors["body"])
    assert "What we did, Results, Lessons learned" in messages
    assert "needs at least 750" in messages
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT


def test_gold_needs_a_presentation_file(member, reviewer):
    approved(member, "bronze", reviewer)
    approved(member, "silver", reviewer)
    submission = services.submission_create(actor=member, level="gold", title="Talk", body="Hi")
    with pytest.raises(ValidationFailed) as error:
        services.submission_submit(actor=member, submission=submission)
    assert "attachment" in error.value.field_errors
    with pytest.raises(ValidationFailed, match="not an accepted presentation"):
        services.submission_update(
            actor=member,
            submission=submission,
            title="Talk",
            body="Hi",
            attachment=SimpleUploadedFile("talk.txt", b"hello"),
        )
    with pytest.raises(ValidationFailed, match="not a .pdf file"):
        services.submission_update(
            actor=member,
            submission=submission,
            title="Talk",
            body="Hi",
            attachment=SimpleUploadedFile("talk.pdf", b"MZ not a pdf at all"),
        )
    services.submission_update(
        actor=member,
        submission=submission,
        title="Talk",
        body="Hi",
        attachment=SimpleUploadedFile("My talk.pdf", PDF),
    )
    submission.refresh_from_db()
    assert submission.attachment_name == "My talk.pdf"
    assert "My talk" not in (submission.attachment.name or "")
    services.submission_submit(actor=member, submission=submission)


def test_transitions_are_checked(member, reviewer):
    other = make_user(display_name="Other Nurse")
    submission = services.submission_create(actor=member, level="bronze", title="P", body=PLAN)
    with pytest.raises(Conflict, match="Only a submitted"):
        services.submission_decide(actor=reviewer, submission=submission, decision="approve")
    with pytest.raises(PermissionRefused):
        services.submission_submit(actor=other, submission=submission)
    with pytest.raises(PermissionRefused):
        services.submission_update(actor=other, submission=submission, title="x", body="x")
    with pytest.raises(Conflict, match="already have an open Bronze"):
        services.submission_create(actor=member, level="bronze", title="Second")
    services.submission_submit(actor=member, submission=submission)
    with pytest.raises(Conflict, match="Only a draft"):
        services.submission_submit(actor=member, submission=submission)
    with pytest.raises(Conflict, match="cannot be edited"):
        services.submission_update(actor=member, submission=submission, title="x", body="x")
    with pytest.raises(PermissionRefused):
        services.submission_decide(actor=other, submission=submission, decision="approve")
    with pytest.raises(ValidationFailed):
        services.submission_decide(actor=reviewer, submission=submission, decision="maybe")
    services.submission_withdraw(actor=member, submission=submission)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.WITHDRAWN
    with pytest.raises(Conflict):
        services.submission_withdraw(actor=member, submission=submission)
    with pytest.raises(Conflict):
        services.submission_comment(actor=member, submission=submission, body="hello")
    # after withdrawing, a new draft for the level may start
    services.submission_create(actor=member, level="bronze", title="Fresh start")


def test_reviewers_never_review_their_own(reviewer):
    submission = services.submission_create(actor=reviewer, level="bronze", title="P", body=PLAN)
    services.submission_submit(actor=reviewer, submission=submission)
    with pytest.raises(PermissionRefused, match="never their own"):
        services.submission_decide(actor=reviewer, submission=submission, decision="approve")
    assert not Credential.objects.exists()


def test_patients_cannot_apply(patient):
    with pytest.raises(PermissionRefused):
        services.submission_create(actor=patient, level="bronze", title="P")
    assert not FellowshipSubmission.objects.exists()


def test_platinum_cannot_be_applied_for(member):
    with pytest.raises(ValidationFailed, match="honorary"):
        services.submission_create(actor=member, level="platinum", title="Me")


def test_comments(member, reviewer):
    submission = services.submission_create(actor=member, level="bronze", title="P", body=PLAN)
    services.submission_comment(actor=member, submission=submission, body="A note to self")
    with pytest.raises(ValidationFailed):
        services.submission_comment(actor=member, submission=submission, body="  ")
    stranger = make_user()
    with pytest.raises(PermissionRefused):
        services.submission_comment(actor=stranger, submission=submission, body="hi")
    services.submission_submit(actor=member, submission=submission)
    services.submission_comment(actor=reviewer, submission=submission, body="Looks good")
    assert submission.comments.count() == 2


def test_platinum_award(member, reviewer, staff):
    with pytest.raises(PermissionRefused):
        services.fellowship_award_platinum(actor=reviewer, user=member, citation="Great")
    with pytest.raises(ValidationFailed, match="needs the Gold"):
        services.fellowship_award_platinum(actor=staff, user=member, citation="Great")
    for level in ("bronze", "silver", "gold"):
        approved(member, level, reviewer)
    with pytest.raises(ValidationFailed, match="citation"):
        services.fellowship_award_platinum(actor=staff, user=member, citation="")
    credential = services.fellowship_award_platinum(
        actor=staff, user=member, citation="For a decade of patient-safety campaigns."
    )
    assert credential.level == "platinum"
    assert credential.credit_statement == "For a decade of patient-safety campaigns."
    assert AuditRecord.objects.filter(action="academy.fellowship.platinum_awarded").exists()
    with pytest.raises(Conflict, match="already hold"):
        services.fellowship_award_platinum(actor=staff, user=member, citation="Again")


def test_fellowship_badges_tag(member, reviewer, staff):
    template = Template("{% load academy_badges %}{% fellowship_badges person %}")
    assert template.render(Context({"person": member})).strip() == ""
    approved(member, "bronze", reviewer)
    approved(member, "silver", reviewer)
    html = template.render(Context({"person": member}))
    assert "Bronze Fellow" in html
    assert "Silver Fellow" in html
    assert html.index("Bronze") < html.index("Silver")
    assert 'aria-label="Fellowship levels"' in html
    from townsquare.academy.services.credentials import credential_revoke

    credential_revoke(
        actor=staff,
        credential=Credential.objects.get(user=member, level="silver"),
        reason="Plagiarism",
    )
    html = template.render(Context({"person": member}))
    assert "Silver" not in html
    assert "Bronze Fellow" in html
    assert template.render(Context({"person": None})).strip() == ""


def test_coaches_review(member):
    coach = make_user(roles=(Role.COACH, Role.MEMBER))
    submission = services.submission_create(actor=member, level="bronze", title="P", body=PLAN)
    services.submission_submit(actor=member, submission=submission)
    services.submission_decide(actor=coach, submission=submission, decision="approve")
    assert services.levels_held(member) == {"bronze"}
