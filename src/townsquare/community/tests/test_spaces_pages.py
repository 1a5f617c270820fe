"""The spaces pages: the directory, opening and editing a space, a space's page, joining with the
guidelines, leaving, invitations and the member list with its managers' decisions."""

from __future__ import annotations

import pytest
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.test import Client

from townsquare.accounts.tests.factories import make_user
from townsquare.notifications.services import scope_level_set

from ..models import MembershipStatus, Space, SpaceKind, SpaceMembership, SpaceVisibility
from ..services import spaces as services
from .factories import join, make_employee, make_moderator, make_patient, make_post, make_space
from .support_spaces import follows, member_count, role_of, status_of, told

pytestmark = pytest.mark.django_db

OPEN, PRIVATE, INVITE_ONLY = (
    SpaceVisibility.OPEN,
    SpaceVisibility.PRIVATE,
    SpaceVisibility.INVITE_ONLY,
)


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def text(response) -> str:
    return response.content.decode()


def has_feed_include() -> bool:
    try:
        get_template("community/feeds/feed_list.html")
    except TemplateDoesNotExist:
        return False
    return True


# --- The directory ---------------------------------------------------------------------------


def test_the_directory_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/community/spaces/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_directory_explains_who_the_community_is_for_to_people_outside_it():
    response = signed_in(make_user()).get("/community/spaces/")
    assert response.status_code == 200
    assert "your account does not take part in it" in text(response)
    assert response.context["page"].paginator.count == 0


def test_the_directory_lists_what_the_person_may_know_with_counts_and_status():
    nurse = make_employee()
    make_space(name="Wound care", members=(nurse,), description="Dressings and more")
    make_space(name="Research club", visibility=PRIVATE)
    make_space(name="Leadership circle", visibility=INVITE_ONLY)
    make_space(name="Diabetes", kind=SpaceKind.PATIENT)
    response = signed_in(nurse).get("/community/spaces/")
    names = [space.name for space in response.context["page"]]
    assert names == ["Research club", "Wound care"]
    page = text(response)
    assert "1 member · 0 posts" in page
    assert "You are a member" in page
    assert "Open a space" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=wound", ["Wound care"]),
        ("?kind=staff", ["Research club", "Wound care"]),
        ("?category=research", ["Research club"]),
        ("?mine=on", ["Wound care"]),
        ("?kind=nonsense", ["Research club", "Wound care"]),
    ],
)
def test_the_directory_filters(query, expected):
    nurse = make_employee()
    make_space(name="Wound care", members=(nurse,))
    make_space(name="Research club", visibility=PRIVATE, category="research")
    response = signed_in(nurse).get(f"/community/spaces/{query}")
    assert response.status_code == 200
    assert [space.name for space in response.context["page"]] == expected


@pytest.mark.parametrize("count", [5, 50])
def test_the_directory_query_count_is_fixed(django_assert_num_queries, count):
    nurse = make_employee()
    for number in range(count):
        space = make_space(name=f"Space {number:02d}")
        if number % 2:
            join(nurse, space)
    client = signed_in(nurse)
    client.get("/community/spaces/")  # warm the session
    # session, user, roles, organizations (staff network), profile (verified clinician?),
    # count, page (the viewer's status in each space is a subquery)
    with django_assert_num_queries(8):
        response = client.get("/community/spaces/")
    assert len(response.context["page"]) == count


# --- Opening and editing ---------------------------------------------------------------------


def test_opening_a_space_makes_the_creator_its_moderator():
    nurse = make_employee()
    client = signed_in(nurse)
    form = client.get("/community/spaces/new/")
    assert form.status_code == 200
    assert [value for value, _ in form.context["form"].fields["kind"].choices] == ["staff"]
    response = client.post(
        "/community/spaces/new/",
        {
            "name": "Night shift",
            "kind": "staff",
            "category": "department",
            "visibility": "private",
            "guidelines": "Be kind.",
        },
    )
    space = Space.objects.get(name="Night shift")
    assert response.status_code == 302
    assert response["Location"] == f"/community/s/{space.slug}/"
    assert space.visibility == "private"
    assert role_of(nurse, space) == "moderator"


def test_opening_a_space_with_a_category_of_the_other_network_is_refused():
    moderator = make_moderator()
    response = signed_in(moderator).post(
        "/community/spaces/new/",
        {"name": "Mixed", "kind": "patient", "category": "research", "visibility": "open"},
    )
    assert response.status_code == 422
    assert "Choose a category of the patient community." in text(response)
    assert not Space.objects.exists()


def test_patients_cannot_open_spaces():
    assert signed_in(make_patient()).get("/community/spaces/new/").status_code == 403


def test_editing_a_space():
    nurse = make_employee()
    space = make_space(moderators=(nurse,), name="Old name")
    client = signed_in(nurse)
    assert client.get(f"/community/s/{space.slug}/edit/").status_code == 200
    response = client.post(
        f"/community/s/{space.slug}/edit/",
        {
            "name": "New name",
            "category": "education",
            "visibility": "invite_only",
            "description": "",
            "guidelines": "Only **kind** words.",
        },
    )
    assert response.status_code == 302
    space.refresh_from_db()
    assert (space.name, space.category, space.visibility) == (
        "New name",
        "education",
        "invite_only",
    )
    member = make_employee()
    join(member, space)
    assert signed_in(member).get(f"/community/s/{space.slug}/edit/").status_code == 403


def test_archiving_from_the_edit_page():
    nurse = make_employee()
    space = make_space(moderators=(nurse,))
    client = signed_in(nurse)
    response = client.post(f"/community/s/{space.slug}/archive", {"archived": "1"})
    assert response.status_code == 302
    space.refresh_from_db()
    assert space.archived_at is not None
    page = text(client.get(f"/community/s/{space.slug}/"))
    assert "This space is archived" in page
    client.post(f"/community/s/{space.slug}/archive", {"archived": ""})
    space.refresh_from_db()
    assert space.archived_at is None


# --- A space's page --------------------------------------------------------------------------


def test_the_space_page_header_for_a_member():
    nurse, owner = make_employee(display_name="Nia Nurse"), make_employee(display_name="Otto Owner")
    space = make_space(
        name="Wound care",
        description="All about **dressings**.",
        guidelines="No patient names.",
        moderators=(owner,),
        members=(nurse,),
    )
    response = signed_in(nurse).get(f"/community/s/{space.slug}/")
    assert response.status_code == 200
    page = text(response)
    assert "<strong>dressings</strong>" in page
    assert "No patient names." in page
    assert "Otto Owner" in page
    assert "You are a member." in page
    assert f'action="/community/s/{space.slug}/leave"' in page
    assert 'action="/notifications/scopes/"' in page
    assert f'value="{space.scope}"' in page


def test_the_notification_form_shows_the_level_chosen():
    nurse = make_employee()
    space = make_space(members=(nurse,))
    scope_level_set(user=nurse, scope=space.scope, level="watching")
    response = signed_in(nurse).get(f"/community/s/{space.slug}/")
    assert response.context["notification_form"].initial["level"] == "watching"


def test_the_space_page_lists_posts_for_readers():
    nurse = make_employee()
    space = make_space(members=(nurse,))
    make_post(nurse, space, title="Handover checklist", kind="question", body="Which one?")
    response = signed_in(nurse).get(f"/community/s/{space.slug}/")
    assert [post.title for post in response.context["page"].items] == ["Handover checklist"]
    if has_feed_include():
        assert response.context["feed_template"] == "community/feeds/feed_list.html"
    assert "Handover checklist" in text(response)


def test_a_private_space_shows_outsiders_its_header_only():
    owner, nurse = make_employee(), make_employee()
    space = make_space(
        name="Research club", visibility=PRIVATE, moderators=(owner,), guidelines="Share drafts."
    )
    make_post(owner, space, title="Secret draft", kind="question", body="Our unpublished data.")
    response = signed_in(nurse).get(f"/community/s/{space.slug}/")
    assert response.status_code == 200
    page = text(response)
    assert "Research club" in page
    assert "Share drafts." in page
    assert "Secret draft" not in page
    assert "Posts in Research club are for its members." in page
    assert "Ask to join" in page
    assert response.context["page"] is None
    assert scope_marker(page) is False


def scope_marker(page: str) -> bool:
    return 'action="/notifications/scopes/"' in page


def test_an_invite_only_space_is_missing_for_people_not_invited():
    space = make_space(visibility=INVITE_ONLY)
    assert signed_in(make_employee()).get(f"/community/s/{space.slug}/").status_code == 404
    assert signed_in(make_patient()).get(f"/community/s/{space.slug}/").status_code == 404
    assert signed_in(make_moderator()).get(f"/community/s/{space.slug}/").status_code == 200


def test_an_invited_person_sees_accept_and_decline():
    owner, nurse = make_employee(), make_employee()
    space = make_space(visibility=INVITE_ONLY, moderators=(owner,))
    services.membership_invite(actor=owner, space=space, who=nurse.email)
    page = text(signed_in(nurse).get(f"/community/s/{space.slug}/"))
    assert "Accept the invitation" in page
    assert f'action="/community/s/{space.slug}/invitation/decline"' in page


def test_a_bad_cursor_is_a_clear_422():
    nurse = make_employee()
    space = make_space(members=(nurse,))
    response = signed_in(nurse).get(f"/community/s/{space.slug}/?cursor=%%%bad")
    assert response.status_code == 422


# --- Joining and leaving ---------------------------------------------------------------------


def test_joining_shows_the_guidelines_and_needs_them_accepted():
    nurse = make_employee()
    space = make_space(name="Wound care", guidelines="Never share **photos** of patients.")
    client = signed_in(nurse)
    page = client.get(f"/community/s/{space.slug}/join/")
    assert page.status_code == 200
    assert "Never share <strong>photos</strong> of patients." in text(page)
    assert 'name="accept_guidelines"' in text(page)
    refused = client.post(f"/community/s/{space.slug}/join/", {})
    assert refused.status_code == 422
    assert "Read the space&#x27;s guidelines and accept them to join." in text(refused), text(
        refused
    )[-3000:]
    assert status_of(nurse, space) == ""
    joined = client.post(f"/community/s/{space.slug}/join/", {"accept_guidelines": "on"})
    assert joined.status_code == 302
    assert joined["Location"] == f"/community/s/{space.slug}/"
    assert status_of(nurse, space) == "active"
    assert follows(nurse, space)
    again = client.get(f"/community/s/{space.slug}/join/")
    assert again.status_code == 302


def test_asking_to_join_a_private_space_and_withdrawing():
    owner, nurse = make_employee(), make_employee()
    space = make_space(visibility=PRIVATE, moderators=(owner,))
    client = signed_in(nurse)
    client.post(f"/community/s/{space.slug}/join/", {"accept_guidelines": "on"})
    assert status_of(nurse, space) == "requested"
    assert "You asked to join; a moderator will decide" in text(
        client.get(f"/community/s/{space.slug}/")
    )
    waiting = client.get(f"/community/s/{space.slug}/join/")
    assert "You asked to join already" in text(waiting)
    response = client.post(f"/community/s/{space.slug}/leave")
    assert response.status_code == 302
    assert status_of(nurse, space) == ""


def test_a_banned_person_is_refused_the_join_page():
    nurse = make_employee()
    space = make_space()
    join(nurse, space, status=MembershipStatus.BANNED)
    assert signed_in(nurse).get(f"/community/s/{space.slug}/join/").status_code == 403


def test_leaving_an_invite_only_space_goes_back_to_the_directory():
    owner, nurse = make_employee(), make_employee()
    space = make_space(visibility=INVITE_ONLY, moderators=(owner,), members=(nurse,))
    response = signed_in(nurse).post(f"/community/s/{space.slug}/leave")
    assert response["Location"] == "/community/spaces/"
    assert status_of(nurse, space) == ""


def test_leaving_as_the_only_moderator_says_why_not():
    owner, nurse = make_employee(), make_employee()
    space = make_space(moderators=(owner,), members=(nurse,))
    client = signed_in(owner)
    response = client.post(f"/community/s/{space.slug}/leave", follow=True)
    assert "appoint another moderator before you leave" in text(response)
    assert status_of(owner, space) == "active"


def test_declining_an_invitation_from_the_page():
    owner, nurse = make_employee(), make_employee()
    space = make_space(visibility=INVITE_ONLY, moderators=(owner,))
    services.membership_invite(actor=owner, space=space, who=nurse.email)
    response = signed_in(nurse).post(f"/community/s/{space.slug}/invitation/decline")
    assert response["Location"] == "/community/spaces/"
    assert status_of(nurse, space) == ""


# --- Members ---------------------------------------------------------------------------------


def test_members_of_a_patient_group_are_listed_by_pseudonym_except_to_moderators():
    staff_moderator = make_moderator()
    writer = make_patient(pseudonym="Quiet Heron", display_name="Rosa Real")
    reader = make_patient()
    group = make_space(kind=SpaceKind.PATIENT, moderators=(staff_moderator,))
    join(writer, group)
    join(reader, group)
    as_patient = text(signed_in(reader).get(f"/community/s/{group.slug}/members/"))
    assert "Quiet Heron" in as_patient
    assert "Rosa Real" not in as_patient
    as_moderator = text(signed_in(staff_moderator).get(f"/community/s/{group.slug}/members/"))
    assert "Quiet Heron" in as_moderator
    assert "Rosa Real" in as_moderator


def test_managers_see_requests_and_invitations_and_decide():
    owner, asker, member = (
        make_employee(),
        make_employee(display_name="Asha Asker"),
        make_employee(display_name="Max Member"),
    )
    space = make_space(visibility=PRIVATE, moderators=(owner,), members=(member,))
    services.membership_join(actor=asker, space=space, accept_guidelines=True)
    client = signed_in(owner)
    page = client.get(f"/community/s/{space.slug}/members/")
    assert [row.label.name for row in page.context["requested"]] == ["Asha Asker"]
    request = SpaceMembership.objects.get(space=space, user=asker)
    response = client.post(
        f"/community/s/{space.slug}/members/{request.pk}/decide", {"decision": "approve"}
    )
    assert response.status_code == 302
    assert status_of(asker, space) == "active"
    membership = SpaceMembership.objects.get(space=space, user=member)
    client.post(f"/community/s/{space.slug}/members/{membership.pk}/role", {"role": "moderator"})
    assert role_of(member, space) == "moderator"
    client.post(
        f"/community/s/{space.slug}/members/{membership.pk}/remove", {"reason": "Moved away"}
    )
    assert status_of(member, space) == ""
    assert member_count(space) == 2
    assert told(member, kind="moderation") == [f"removed you from {space.name}: Moved away"]


def test_members_do_not_see_requests_or_manager_buttons():
    owner, member = make_employee(), make_employee()
    space = make_space(visibility=PRIVATE, moderators=(owner,), members=(member,))
    join(make_employee(), space, status=MembershipStatus.REQUESTED)
    response = signed_in(member).get(f"/community/s/{space.slug}/members/")
    assert response.status_code == 200
    assert "requested" not in response.context
    assert "Make moderator" not in text(response)
    outsider = signed_in(make_employee()).get(f"/community/s/{space.slug}/members/")
    assert outsider.status_code == 403


def test_inviting_from_the_members_page():
    owner, nurse = make_employee(), make_employee(display_name="Ivy Invitee")
    space = make_space(visibility=INVITE_ONLY, moderators=(owner,))
    client = signed_in(owner)
    response = client.post(f"/community/s/{space.slug}/members/invite", {"who": nurse.email})
    assert response.status_code == 302
    assert status_of(nurse, space) == "invited"
    again = client.post(f"/community/s/{space.slug}/members/invite", {"who": nurse.email})
    assert again.status_code == 422
    assert "They are invited already." in text(again)
    patient = client.post(f"/community/s/{space.slug}/members/invite", {"who": "x@example.org"})
    assert patient.status_code == 422
    assert "can be invited to the staff network" in text(patient)


def test_a_decision_on_an_unknown_membership_is_missing():
    owner = make_employee()
    space = make_space(moderators=(owner,))
    other = make_space(members=(make_employee(),))
    elsewhere = SpaceMembership.objects.get(space=other)
    client = signed_in(owner)
    for membership_id in (elsewhere.pk, 99999999, 2**63):
        response = client.post(
            f"/community/s/{space.slug}/members/{membership_id}/decide", {"decision": "approve"}
        )
        assert response.status_code == 404


@pytest.mark.parametrize("count", [5, 50])
def test_the_member_list_query_count_is_fixed_for_managers(django_assert_num_queries, count):
    owner = make_patient()
    space = make_space(kind=SpaceKind.PATIENT, moderators=(make_moderator(),))
    join(owner, space, role="moderator")
    for number in range(count):
        patient = make_patient(pseudonym=f"Heron {number}" if number % 2 else "")
        join(patient, space, status=MembershipStatus.ACTIVE if number % 3 else "requested")
    join(make_patient(), space, status=MembershipStatus.INVITED)
    owner = type(owner).objects.get(pk=owner.pk)
    client = signed_in(owner)
    client.get(f"/community/s/{space.slug}/members/")  # warm the session
    # session, user, space, roles, the viewer's membership, count, members,
    # requests, invitations, bans
    with django_assert_num_queries(11):
        response = client.get(f"/community/s/{space.slug}/members/")
    assert response.status_code == 200
    assert len(response.context["rows"]) + len(response.context["requested"]) == count + 2


@pytest.mark.parametrize("count", [5, 50])
def test_the_member_list_query_count_is_fixed_for_members(django_assert_num_queries, count):
    nurse = make_employee()
    space = make_space(visibility=PRIVATE, members=(nurse,))
    for _ in range(count):
        join(make_employee(), space)
    client = signed_in(nurse)
    client.get(f"/community/s/{space.slug}/members/")
    # session, user, space, roles, organizations, the viewer's membership, count, members
    with django_assert_num_queries(9):
        response = client.get(f"/community/s/{space.slug}/members/")
    assert len(response.context["rows"]) == count + 1


def test_the_notification_form_posts_to_the_scope_setting_and_comes_back():
    nurse = make_employee()
    space = make_space(visibility=PRIVATE, members=(nurse,))
    client = signed_in(nurse)
    form = client.get(f"/community/s/{space.slug}/").context["notification_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["level"] = "muted"
    response = client.post("/notifications/scopes/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/community/s/{space.slug}/"
    again = client.get(f"/community/s/{space.slug}/")
    assert again.context["notification_form"].initial["level"] == "muted"
