"""People pages: the community profile with its posts, follow buttons (with and without HTMX),
what I follow, my handle and pseudonym, and clinician verification."""

from __future__ import annotations

import pytest

from townsquare.accounts.tests.factories import make_staff
from townsquare.core.models import AuditRecord

from ..models import CommunityProfile, Follow, SpaceKind, SpaceVisibility
from ..services import people as services
from .factories import (
    make_clinician,
    make_employee,
    make_moderator,
    make_patient,
    make_post,
    make_space,
)
from .support_people import client_for, fresh, handle_of

pytestmark = pytest.mark.django_db


# The profile page --------------------------------------------------------------------------------


@pytest.fixture
def writer():
    """A verified clinician who writes by name in the staff network and, under the pseudonym
    "Doc Holly", in a patient group; and posts in a private staff space."""
    clinician = fresh(make_clinician(display_name="Dana Doctor"))
    services.profile_update(
        actor=clinician, handle="dana.d", pseudonym="Doc Holly", use_pseudonym=True
    )
    open_space = make_space(name="Night shift", members=(clinician,))
    group = make_space(kind=SpaceKind.PATIENT, name="Type 1 adults", members=(clinician,))
    private = make_space(
        name="Budget board", visibility=SpaceVisibility.PRIVATE, members=(clinician,)
    )
    make_post(clinician, open_space, title="Handover checklist", body="Print it.")
    make_post(clinician, group, title="Pump tips", body="Rotate the sites.")
    make_post(clinician, private, title="Next year's budget", body="Draft numbers.")
    return clinician


def test_a_colleague_sees_only_posts_by_name_in_spaces_they_read(writer):
    response = client_for(make_employee()).get("/community/people/dana.d/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Dana Doctor</h1>" in html
    assert "✔ Verified clinician, Endocrinologist" in html
    assert "Handover checklist" in html
    # Never what she writes behind her pseudonym, nor the pseudonym, nor the private space.
    assert "Pump tips" not in html
    assert "Doc Holly" not in html
    assert "Next year&#x27;s budget" not in html
    assert "Budget board" not in html


def test_the_person_sees_all_their_posts_and_their_pseudonym(writer):
    html = client_for(writer).get("/community/people/dana.d/").content.decode()
    assert "Handover checklist" in html
    assert "Pump tips" in html
    assert "Next year&#x27;s budget" in html
    assert "as <strong>Doc Holly</strong>" in html
    assert "Change your handle or pseudonym" in html
    assert 'aria-label="Follow' not in html


def test_center_staff_see_the_pseudonym_and_pseudonymous_posts(writer):
    html = client_for(make_staff()).get("/community/people/dana.d/").content.decode()
    assert "Pump tips" in html
    assert "Doc Holly" in html
    assert "Next year&#x27;s budget" in html  # staff read every space


def test_a_patient_in_her_group_cannot_open_her_profile(writer):
    patient = make_patient()
    response = client_for(patient).get("/community/people/dana.d/")
    assert response.status_code == 404
    assert "Dana Doctor" not in response.content.decode()


def test_a_patients_profile_is_for_platform_moderators_only():
    patient = make_patient(display_name="Pat Private", pseudonym="Sunflower")
    handle = handle_of(patient)
    for viewer in (make_employee(), make_patient(), make_clinician()):
        assert client_for(viewer).get(f"/community/people/{handle}/").status_code == 404
    html = client_for(make_moderator()).get(f"/community/people/{handle}/").content.decode()
    assert "Pat Private" in html
    assert "Sunflower" in html
    assert "takes part in the patient community" in html


def test_an_unknown_and_an_invisible_handle_look_the_same():
    patient = make_patient()
    viewer = client_for(make_employee())
    unknown = viewer.get("/community/people/nobody.at.all/")
    hidden = viewer.get(f"/community/people/{handle_of(patient)}/")
    assert unknown.status_code == hidden.status_code == 404
    assert unknown.context["error"].message == hidden.context["error"].message


def test_a_handle_in_another_case_or_with_an_at_redirects_to_the_profile(writer):
    client = client_for(make_employee())
    response = client.get("/community/people/DANA.D/?cursor=")
    assert response.status_code == 301
    assert response["Location"] == "/community/people/dana.d/?cursor="
    assert client.get("/community/people/@dana.d/")["Location"] == "/community/people/dana.d/"


def test_a_bad_cursor_is_a_clear_422(writer):
    response = client_for(make_employee()).get("/community/people/dana.d/?cursor=nonsense")
    assert response.status_code == 422
    assert "start again from the first page" in response.content.decode()


def test_the_profile_pages_posts_with_a_cursor():
    author = make_employee()
    space = make_space(members=(author,))
    for number in range(22):
        make_post(author, space, title=f"Tip number {number:02d}", body="Short.")
    client = client_for(make_employee())
    first = client.get(f"/community/people/{handle_of(author)}/")
    page = first.context["page"]
    assert [post.title for post in page.items][:2] == ["Tip number 21", "Tip number 20"]
    assert len(page.items) == 20
    second = client.get(f"/community/people/{handle_of(author)}/?cursor={page.next_cursor}")
    assert [post.title for post in second.context["page"].items] == [
        "Tip number 01",
        "Tip number 00",
    ]


@pytest.mark.parametrize("count", [5, 50])
def test_profile_page_queries_are_pinned(count, django_assert_num_queries):
    author = fresh(make_clinician())
    space = make_space(members=(author,))
    group = make_space(kind=SpaceKind.PATIENT, members=(author,))
    for number in range(count):
        make_post(author, space if number % 2 else group, title=f"Post {number}", body="Text.")
    viewer = make_moderator()
    services.follow_person(actor=viewer, person=author)
    client = client_for(viewer)
    address = f"/community/people/{handle_of(author)}/"
    client.get(address)
    # session, user, roles (navigation); the profile by handle; the person's roles; the
    # viewer's readable spaces; the posts with space, author profile and poll; the follow counts
    with django_assert_num_queries(8):
        response = client.get(address)
    assert len(response.context["page"].items) == min(count, 20)


# Following ---------------------------------------------------------------------------------------


def test_follow_and_unfollow_from_the_profile(writer):
    viewer = make_employee()
    client = client_for(viewer)
    response = client.post("/community/people/dana.d/follow", {"next": "/community/people/dana.d/"})
    assert response.status_code == 302
    assert response["Location"] == "/community/people/dana.d/"
    assert Follow.objects.filter(follower=viewer, followed_user=writer).exists()
    page = client.get("/community/people/dana.d/").content.decode()
    assert "You follow Dana Doctor" in page
    assert "Unfollow" in page
    assert "1 follower " in page

    response = client.post("/community/people/dana.d/unfollow")
    assert response["Location"] == "/community/following/"
    assert not Follow.objects.filter(follower=viewer, followed_user=writer).exists()


def test_the_follow_button_swaps_itself_with_htmx(writer):
    client = client_for(make_employee())
    response = client.post(
        "/community/people/dana.d/follow",
        {"next": "/community/people/dana.d/"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'action="/community/people/dana.d/unfollow"' in html
    assert '<span role="status">You follow Dana Doctor' in html
    assert '<input type="hidden" name="next" value="/community/people/dana.d/">' in html
    again = client.post("/community/people/dana.d/unfollow", headers={"HX-Request": "true"})
    assert 'action="/community/people/dana.d/follow"' in again.content.decode()


def test_a_next_address_off_the_site_is_ignored(writer):
    response = client_for(make_employee()).post(
        "/community/people/dana.d/follow", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/community/people/dana.d/"


def test_following_oneself_is_a_clear_error(writer):
    response = client_for(writer).post("/community/people/dana.d/follow")
    assert response.status_code == 422
    assert "You cannot follow yourself." in response.content.decode()
    assert not Follow.objects.filter(followed_user__isnull=False).exists()


def test_follow_a_space_from_its_page_and_back():
    viewer = make_employee()
    space = make_space(name="Wound care")
    client = client_for(viewer)
    response = client.post(f"/community/s/{space.slug}/follow")
    assert response["Location"] == f"/community/s/{space.slug}/"
    assert Follow.objects.filter(follower=viewer, space=space).exists()
    swapped = client.post(f"/community/s/{space.slug}/unfollow", headers={"HX-Request": "true"})
    assert f'action="/community/s/{space.slug}/follow"' in swapped.content.decode()
    assert "You no longer follow Wound care" in swapped.content.decode()
    assert not Follow.objects.filter(follower=viewer, space=space).exists()


def test_the_following_page_lists_people_spaces_and_followers():
    viewer = make_employee(display_name="Vera Viewer")
    colleague = make_clinician(display_name="Cal Colleague", title="Cardiologist")
    follower = make_employee(display_name="Finn Follower")
    readable = make_space(name="Open ward", members=(viewer,))
    lost = make_space(name="Closed ward", visibility=SpaceVisibility.PRIVATE, members=(viewer,))
    services.follow_person(actor=viewer, person=colleague)
    services.follow_person(actor=follower, person=viewer)
    lost.memberships.filter(user=viewer).delete()  # removed, still following

    html = client_for(fresh(viewer)).get("/community/following/").content.decode()

    assert f'<a href="/community/people/{handle_of(colleague)}/">Cal Colleague</a>' in html
    assert "✔ Verified clinician, Cardiologist" in html
    assert f'<a href="/community/s/{readable.slug}/">Open ward</a>' in html
    assert 'Closed ward <span class="meta">(you can no longer read it)</span>' in html
    assert f'action="/community/s/{lost.slug}/unfollow"' in html
    assert f'<a href="/community/people/{handle_of(follower)}/">Finn Follower</a>' in html


def test_a_patient_sees_followers_without_links_to_profiles_they_cannot_open():
    patient = make_patient()
    moderator = make_moderator(display_name="Mo Moderator")
    services.follow_person(actor=moderator, person=patient)
    html = client_for(patient).get("/community/following/").content.decode()
    assert "Mo Moderator" in html
    assert f"/community/people/{handle_of(moderator)}/" not in html


@pytest.mark.parametrize("count", [5, 50])
def test_following_page_queries_are_pinned(count, django_assert_num_queries):
    viewer = make_employee()
    for _ in range(count):
        person = make_clinician()
        services.follow_person(actor=viewer, person=person)
        services.follow_person(actor=person, person=viewer)
        services.follow_space(actor=viewer, space=make_space())
    client = client_for(viewer)
    client.get("/community/following/")
    # session, user, roles (navigation); organization membership and community profile (the two
    # networks); per list a count and a page (people, spaces, followers); the readable spaces
    with django_assert_num_queries(13):
        response = client.get("/community/following/")
    assert len(response.context["people_page"].object_list) == count


# My community profile ----------------------------------------------------------------------------


def test_a_patient_sets_a_pseudonym_with_the_explanation_in_view():
    patient = make_patient()
    client = client_for(patient)
    page = client.get("/community/profile/").content.decode()
    assert "Who sees what" in page
    assert "The moderators of the group, center staff and platform moderators" in page
    assert 'name="pseudonym"' in page

    response = client.post(
        "/community/profile/",
        {"handle": "quiet.reader", "pseudonym": "Sunflower", "use_pseudonym": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/community/profile/"
    profile = CommunityProfile.objects.get(user=patient)
    assert (profile.handle, profile.pseudonym, profile.use_pseudonym) == (
        "quiet.reader",
        "Sunflower",
        True,
    )


def test_the_staff_network_alone_gets_no_pseudonym_fields():
    colleague = make_employee()
    client = client_for(colleague)
    page = client.get("/community/profile/").content.decode()
    assert 'name="pseudonym"' not in page
    response = client.post(
        "/community/profile/", {"handle": "ward7", "pseudonym": "Ghost", "use_pseudonym": "on"}
    )
    assert response.status_code == 302
    profile = CommunityProfile.objects.get(user=colleague)
    assert (profile.handle, profile.pseudonym, profile.use_pseudonym) == ("ward7", "", False)


def test_a_taken_handle_is_shown_beside_the_field_not_a_server_error():
    other = make_employee()
    services.profile_update(actor=other, handle="night.owl", pseudonym="", use_pseudonym=False)
    colleague = make_employee()
    before = handle_of(colleague)
    response = client_for(colleague).post("/community/profile/", {"handle": "Night.Owl"})
    assert response.status_code == 422
    assert "@night.owl is taken; choose another handle." in response.content.decode()
    assert "field-invalid" in response.content.decode()
    assert handle_of(colleague) == before


def test_a_malformed_handle_is_a_422_with_the_rule():
    response = client_for(make_employee()).post("/community/profile/", {"handle": "no spaces"})
    assert response.status_code == 422
    assert "1 to 30 letters (a to z), digits" in response.content.decode()


def test_people_outside_the_community_get_a_clear_refusal():
    from townsquare.accounts.tests.factories import make_user

    response = client_for(make_user()).get("/community/profile/")
    assert response.status_code == 403
    assert "does not take part" in response.content.decode()


# Clinicians --------------------------------------------------------------------------------------


def test_staff_find_verify_and_unverify_a_clinician():
    staff = make_staff()
    nurse = make_employee(display_name="Nia Nightingale")
    make_patient(display_name="Nia Patient")
    client = client_for(staff)

    page = client.get("/community/clinicians/?q=Nia").content.decode()
    assert "Nia Nightingale" in page
    assert "Nia Patient" not in page  # patients are never candidates

    response = client.post(
        f"/community/clinicians/{nurse.pk}/verify",
        {"title": "Diabetes nurse educator", "next": "/community/clinicians/?q=Nia"},
    )
    assert response["Location"] == "/community/clinicians/?q=Nia"
    listed = client.get("/community/clinicians/").content.decode()
    assert "Diabetes nurse educator" in listed
    assert f'action="/community/clinicians/{nurse.pk}/unverify"' in listed
    assert AuditRecord.objects.filter(action="community.clinician.verify").count() == 1

    client.post(f"/community/clinicians/{nurse.pk}/unverify")
    assert not CommunityProfile.objects.get(user=nurse).is_verified_clinician
    assert AuditRecord.objects.filter(action="community.clinician.unverify").count() == 1


def test_verifying_without_a_title_or_a_patient_is_a_422_with_the_reason():
    staff = make_staff()
    client = client_for(staff)
    response = client.post(f"/community/clinicians/{make_employee().pk}/verify", {"title": ""})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    response = client.post(f"/community/clinicians/{make_patient().pk}/verify", {"title": "RN"})
    assert response.status_code == 422
    assert "Only health-care professionals" in response.content.decode()
    assert not CommunityProfile.objects.filter(clinician_verified_at__isnull=False).exists()


def test_a_huge_user_id_is_a_404():
    response = client_for(make_staff()).post(
        "/community/clinicians/99999999999999999999/verify", {"title": "RN"}
    )
    assert response.status_code == 404
