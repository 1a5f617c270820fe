"""The community back office: every model is there, lists and pages open, what services write
stays read-only, and the allowed changes go through the services."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import make_staff, make_user
from townsquare.core.models import AuditRecord

from ..models import (
    Comment,
    CommunityProfile,
    ContentStatus,
    Flag,
    FlagReason,
    Follow,
    ModerationAction,
    Post,
    PostKind,
    Reaction,
    Space,
    SpaceKind,
    SpaceMembership,
    SpaceVisibility,
)
from ..services.moderation import flag_create
from ..services.posts import answer_accept, poll_vote, reaction_toggle
from .factories import (
    make_clinician,
    make_comment,
    make_employee,
    make_patient,
    make_post,
    make_space,
)

pytestmark = pytest.mark.django_db

MODELS = sorted(apps.get_app_config("community").get_models(), key=lambda model: model.__name__)
EDITABLE = {Space}


def _url(model, action: str, *args) -> str:
    return reverse(f"admin:community_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def superuser(db):
    staff = make_staff(email="backoffice@example.org")
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    return staff


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def world():
    """One row of every community model, written through the services."""
    nurse, colleague = make_employee(), make_employee()
    # Fresh from the database: make_clinician leaves a stale profile cached on the object.
    clinician = User.objects.get(pk=make_clinician().pk)
    patient = make_patient(pseudonym="QuietHeron")
    staff_space = make_space(members=(colleague,), moderators=(nurse,), name="Ward Council")
    group = make_space(
        kind=SpaceKind.PATIENT,
        visibility=SpaceVisibility.PRIVATE,
        members=(patient, clinician),
        name="Asthma Circle",
    )
    post = make_post(nurse, staff_space, title="Handover ideas", body="Bedside handover works.")
    poll = make_post(
        nurse,
        staff_space,
        kind=PostKind.POLL,
        title="Which format?",
        body="Vote please.",
        poll_options=["SBAR", "I-PASS"],
    )
    comment = make_comment(colleague, post, body="Agreed, it helps.")
    reaction_toggle(actor=colleague, target=post, kind="like")
    poll_vote(actor=colleague, post=poll, option_ids=[poll.poll.options.first().pk])
    question = make_post(
        patient, group, kind=PostKind.QUESTION, title="Inhaler timing?", body="When do you use it?"
    )
    answer = make_comment(clinician, question, body="Ask your care team about your plan.")
    answer_accept(actor=patient, comment=answer)
    flag_create(actor=colleague, target=post, reason=FlagReason.OFF_TOPIC, note="")
    return {
        "post": post,
        "comment": comment,
        "space": staff_space,
        "group": group,
        "clinician": clinician,
        "patient": patient,
    }


def test_every_community_model_is_in_the_back_office():
    registered = {model for model in admin.site._registry if model._meta.app_label == "community"}
    assert registered == set(apps.get_app_config("community").get_models())


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_list_opens_and_searches(superuser_client, world, model):
    response = superuser_client.get(_url(model, "changelist"))
    assert response.status_code == 200
    if admin.site._registry[model].search_fields:
        response = superuser_client.get(_url(model, "changelist"), {"q": "x' OR 1=1"})
        assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_row_page_opens(superuser_client, world, model):
    row = model._default_manager.order_by("pk").first()
    if row is None:
        pytest.skip(f"the world has no {model.__name__}")  # attachments need an upload
    assert superuser_client.get(_url(model, "change", row.pk)).status_code == 200


@pytest.mark.parametrize(
    "model", [model for model in MODELS if model not in EDITABLE], ids=lambda model: model.__name__
)
def test_rows_written_by_services_cannot_be_added_changed_or_deleted(
    model, superuser, superuser_client, rf
):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = superuser
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert superuser_client.get(_url(model, "add")).status_code == 403


def test_a_space_keeps_its_network_visibility_and_counters(superuser_client, world):
    space = world["space"]
    response = superuser_client.get(_url(Space, "change", space.pk))
    body = response.content.decode()
    assert 'name="name"' in body
    assert 'name="guidelines"' in body
    for field in ("kind", "visibility", "member_count", "post_count", "slug"):
        assert f'name="{field}"' not in body
    assert superuser_client.get(_url(Space, "add")).status_code == 403
    assert superuser_client.post(_url(Space, "delete", space.pk)).status_code == 403
    assert Space.objects.filter(pk=space.pk).exists()


def test_a_staff_member_renames_a_space(superuser_client, world):
    space = world["space"]
    response = superuser_client.post(
        _url(Space, "change", space.pk),
        {
            "name": "Ward Practice Council",
            "category": space.category,
            "requires_approval": "on",
            "organization": "",
            "description": "Practice on the wards.",
            "guidelines": space.guidelines,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    space.refresh_from_db()
    assert (space.name, space.requires_approval, space.kind) == (
        "Ward Practice Council",
        True,
        SpaceKind.STAFF,
    )


def test_the_post_list_shows_no_bodies_and_the_post_page_reads_one(superuser_client, world):
    post = world["post"]
    listing = superuser_client.get(_url(Post, "changelist")).content.decode()
    assert "Handover ideas" in listing
    assert "Bedside handover works." not in listing
    page = superuser_client.get(_url(Post, "change", post.pk)).content.decode()
    assert "Bedside handover works." in page
    assert 'name="body"' not in page
    actions = admin.site._registry[Post].get_actions(superuser_client.get("/").wsgi_request)
    assert "delete_selected" not in actions


def test_hiding_and_restoring_a_post_goes_through_the_moderation_service(superuser_client, world):
    post = world["post"]
    space = world["space"]
    count = Space.objects.get(pk=space.pk).post_count
    response = superuser_client.post(
        _url(Post, "changelist"), {"action": "hide", "_selected_action": [post.pk]}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == ContentStatus.HIDDEN
    assert post.moderation_reason
    assert Space.objects.get(pk=space.pk).post_count == count - 1
    action = ModerationAction.objects.get(post=post)
    assert action.moderator is not None
    assert (action.action, action.moderator.email) == ("hide", "backoffice@example.org")
    assert Flag.objects.get(post=post).status == "upheld"
    superuser_client.post(
        _url(Post, "changelist"), {"action": "restore", "_selected_action": [post.pk]}
    )
    post.refresh_from_db()
    assert post.status == ContentStatus.PUBLISHED
    assert Space.objects.get(pk=space.pk).post_count == count


def test_a_refused_decision_is_a_message_not_an_error(superuser_client, world):
    post = world["post"]
    response = superuser_client.post(
        _url(Post, "changelist"),
        {"action": "restore", "_selected_action": [post.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    post.refresh_from_db()
    assert post.status == ContentStatus.PUBLISHED


def test_comments_are_hidden_through_the_service_too(superuser_client, world):
    comment = world["comment"]
    superuser_client.post(
        _url(Comment, "changelist"), {"action": "hide", "_selected_action": [comment.pk]}
    )
    comment.refresh_from_db()
    assert comment.status == ContentStatus.HIDDEN
    assert comment.post.comment_count == 0


def test_staff_verify_and_unverify_clinicians_with_an_audit_record(superuser_client, world):
    person = make_employee(title="Pediatric pharmacist")
    profile = CommunityProfile.objects.get(user=person)
    superuser_client.post(
        _url(CommunityProfile, "changelist"),
        {"action": "verify_clinicians", "_selected_action": [profile.pk]},
    )
    profile.refresh_from_db()
    assert profile.is_verified_clinician
    assert profile.clinician_title == "Pediatric pharmacist"
    assert AuditRecord.objects.filter(action="community.clinician.verify").exists()
    superuser_client.post(
        _url(CommunityProfile, "changelist"),
        {"action": "unverify_clinicians", "_selected_action": [profile.pk]},
    )
    profile.refresh_from_db()
    assert not profile.is_verified_clinician


def test_a_patient_cannot_be_verified_as_a_clinician(superuser_client, world):
    profile = CommunityProfile.objects.get(user=world["patient"])
    response = superuser_client.post(
        _url(CommunityProfile, "changelist"),
        {"action": "verify_clinicians", "_selected_action": [profile.pk]},
        follow=True,
    )
    assert response.status_code == 200
    profile.refresh_from_db()
    assert not profile.is_verified_clinician


def test_memberships_follows_reactions_and_flags_are_listed(superuser_client, world):
    assert SpaceMembership.objects.exists()
    assert Follow.objects.exists()
    assert Reaction.objects.exists()
    flag = Flag.objects.get()
    page = superuser_client.get(_url(Flag, "change", flag.pk)).content.decode()
    assert "Off topic" in page


def test_people_without_staff_access_are_sent_to_sign_in(client, world):
    client.force_login(make_user())
    response = client.get(_url(Post, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
