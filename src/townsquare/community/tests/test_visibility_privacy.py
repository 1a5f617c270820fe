"""The privacy proofs: a private space's posts and comments never reach anyone outside it.

Around a private space of each network (``support_feeds.make_private_world``) stand people of every
kind: a staff-network employee, a patient, a verified clinician, someone invited, someone who asked
to join, someone banned, someone who left, and someone in neither network. All of them follow the
private spaces and their authors (a follow is no permission). For each of them, and through every
door (the home feed, hashtag pages, the tag list, search pages and API, person pages, the posts'
own pages and notifications), none of the private text comes out. Insiders (members, the space's
moderators, platform moderators and center staff) see it, so the doors are shown to work.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from townsquare.core.errors import ValidationFailed
from townsquare.notifications.models import Notification, NotificationKind
from townsquare.notifications.selectors import unread_count
from townsquare.notifications.services import scope_level_set

from ..models import CommunityProfile, Follow, MembershipStatus, Post, SpaceMembership
from ..services.profiles import profile_ensure
from .factories import join, make_comment, make_post
from .support_feeds import (
    INSIDERS,
    OUTSIDERS,
    PrivateWorld,
    client_of,
    fresh,
    item_ids,
    make_private_world,
)

pytestmark = pytest.mark.django_db

SECRET, TAG = PrivateWorld.SECRET, PrivateWorld.TAG


@pytest.fixture
def world() -> PrivateWorld:
    return make_private_world()


def _outsider_pages(world: PrivateWorld, name: str) -> list[tuple[str, int, str]]:
    client = client_of(world.people[name])
    pages = [
        reverse("community:home"),
        reverse("community:hashtag", args=[TAG]),
        reverse("community:hashtag_list"),
        f"{reverse('community:search')}?q={SECRET}",
        f"{reverse('community:search')}?q={SECRET}&kind=comment",
        f"{reverse('community:search')}?q=handover",
    ]
    return [
        (page, response.status_code, response.content.decode())
        for page in pages
        for response in [client.get(page)]
    ]


def _private_marks(world: PrivateWorld) -> list[str]:
    """What would show that private content reached a page: links to it and its words."""
    marks = [f'href="/community/p/{post.pk}/' for post in world.private_posts]
    marks += [f"#comment-{comment.pk}" for comment in world.private_comments]
    return [*marks, "Handover notes", "plan #", "QuietHeron", "Clinician view"]


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_pages_never_show_private_text(world, name):
    for page, status, html in _outsider_pages(world, name):
        assert status == (403 if name == "no_network" and page != "/community/" else 200), page
        for mark in _private_marks(world):
            assert mark not in html, (page, mark)
        if TAG not in page:  # the tag's own page names it, of course
            assert f"#{TAG}" not in html, page
        if "search" in page and status == 200:
            assert '<p role="status">0 results</p>' in html, page


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_home_feed_keeps_what_they_may_read(world, name):
    person = world.people[name]
    response = client_of(person).get("/api/v1/community/feed?limit=50")
    if name == "no_network":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    ids = set(item_ids(response))
    assert ids.isdisjoint(world.private_ids())
    # The doors work: the open spaces they follow do reach them, as their network allows.
    staff_open, patient_open = (post.pk for post in world.open_posts)
    assert (staff_open in ids) == (name not in ("patient",))
    assert (patient_open in ids) == (name not in ("staff_network",))


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_api_feeds_and_search_leak_nothing(world, name):
    client = client_of(world.people[name])
    expected_search = 403 if name == "no_network" else 200
    for path in (
        f"/api/v1/community/tags/{TAG}/posts",
        f"/api/v1/community/search?q={SECRET}",
        f"/api/v1/community/search?q={SECRET}&kind=comment",
        "/api/v1/community/search?q=handover",
    ):
        response = client.get(path)
        assert response.status_code == expected_search, path
        assert SECRET not in response.content.decode(), path
        if response.status_code == 200:
            assert response.json()["items"] == [], path
            assert response.json().get("count", 0) == 0, path
    for space in (world.staff_space, world.patient_space):
        response = client.get(f"/api/v1/community/spaces/{space.pk}/posts")
        assert response.status_code in (403, 404)
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_cannot_open_private_posts_or_see_them_on_person_pages(world, name):
    client = client_of(world.people[name])
    for post in world.private_posts:
        response = client.get(reverse("community:post_detail", args=[post.pk]))
        assert response.status_code == 404
        response = client.get(f"/api/v1/community/posts/{post.pk}")
        assert response.status_code == 404
        assert SECRET not in response.content.decode()
    for author in (world.author, world.patient_author):
        handle = CommunityProfile.objects.get(user=author).handle
        response = client.get(reverse("community:person_detail", args=[handle]))
        assert response.status_code in (200, 404)
        assert SECRET not in response.content.decode()
        response = client.get(f"/api/v1/community/people/{handle}")
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_get_no_notification_from_a_private_space(world, name):
    person = world.people[name]
    scopes = [world.staff_space.scope, world.patient_space.scope]
    for scope in scopes:
        scope_level_set(user=person, scope=scope, level="watching")
    # A new post in each private space, and a reply to every private post.
    make_post(world.author, world.staff_space, body="A new staff post.")
    make_post(world.patient_author, world.patient_space, body="A new group post.")
    for post in world.private_posts:
        make_comment(world.people["member"], post, body="A reply from a member.")

    assert Notification.objects.filter(recipient=person, scope__in=scopes).count() == 0
    assert unread_count(fresh(person)) == 0


@pytest.mark.parametrize("name", [name for name in OUTSIDERS if name != "no_network"])
def test_mentioning_an_outsider_in_a_private_space_is_refused(world, name):
    handle = profile_ensure(world.people[name]).handle
    for author, space in ((world.author, world.staff_space), (world.author, world.patient_space)):
        with pytest.raises(ValidationFailed, match=f"@{handle} cannot see this space"):
            make_post(author, space, body=f"Looping in @{handle} on this.")
        with pytest.raises(ValidationFailed, match=f"@{handle} cannot see this space"):
            make_comment(author, world.private_posts[0], body=f"What do you think, @{handle}?")

    assert not Notification.objects.filter(recipient=world.people[name]).exists()


def test_insiders_are_told_and_outsiders_are_not(world):
    everyone = {**world.people}
    for person in everyone.values():
        scope_level_set(user=person, scope=world.staff_space.scope, level="watching")
    post = make_post(world.author, world.staff_space, body="News for the oncology nurses.")

    told = set(
        Notification.objects.filter(
            kind=NotificationKind.NEW_POST, url=reverse("community:post_detail", args=[post.pk])
        ).values_list("recipient_id", flat=True)
    )
    assert told == {everyone[name].pk for name in INSIDERS}


def test_someone_banned_after_posting_hears_nothing_more_of_the_space(world):
    member = world.people["member"]
    post = make_post(member, world.staff_space, body="Before the ban.")
    post = Post.objects.get(pk=post.pk)  # as the next request loads it
    scope_level_set(user=member, scope=world.staff_space.scope, level="watching")
    SpaceMembership.objects.filter(user=member, space=world.staff_space).update(
        status=MembershipStatus.BANNED
    )

    make_comment(world.author, post, body="A reply after the ban.")
    make_post(world.author, world.staff_space, body="A post after the ban.")

    assert not Notification.objects.filter(recipient=member, scope=world.staff_space.scope).exists()


@pytest.mark.parametrize("name", INSIDERS)
def test_insiders_find_the_private_posts_everywhere(world, name):
    client = client_of(world.people[name])
    private = world.private_ids()
    assert private <= set(item_ids(client.get(f"/api/v1/community/tags/{TAG}/posts")))
    search = client.get(f"/api/v1/community/search?q={SECRET}").json()
    assert search["count"] == 3
    assert {item["id"] for item in search["items"]} == private
    comments = client.get(f"/api/v1/community/search?q={SECRET}&kind=comment").json()
    assert {item["id"] for item in comments["items"]} == {c.pk for c in world.private_comments}
    html = client.get(reverse("community:hashtag", args=[TAG])).content.decode()
    assert "Handover notes" in html


def test_member_home_feed_has_the_private_posts(world):
    ids = set(item_ids(client_of(world.people["member"]).get("/api/v1/community/feed?limit=50")))

    assert world.private_ids() <= ids


def test_a_pseudonymous_post_never_names_its_author_to_others(world):
    """A clinician who writes under a pseudonym in an open patient group: someone who may see the
    clinician's person page and follows them does not find the post there or in their feed by
    name, and where the post does show (the group's tag page), it shows the pseudonym only."""
    writer = world.people["space_moderator"]
    CommunityProfile.objects.filter(user=writer).update(pseudonym="SilverFern", use_pseudonym=True)
    writer = fresh(writer)
    join(writer, world.open_patient)
    post = make_post(writer, world.open_patient, body="Speaking as a patient here #fernstory.")
    assert post.as_pseudonym is True
    reader = world.people["clinician"]  # a professional: may see the writer's person page
    Follow.objects.get_or_create(follower=reader, followed_user=writer)
    Follow.objects.filter(follower=reader, space=world.open_patient).delete()
    client = client_of(reader)
    handle = CommunityProfile.objects.get(user=writer).handle

    person_page = client.get(reverse("community:person_detail", args=[handle]))
    feed = item_ids(client.get("/api/v1/community/feed?limit=50"))
    tag_page = client.get(reverse("community:hashtag", args=["fernstory"])).content.decode()
    tag_api = client.get("/api/v1/community/tags/fernstory/posts").json()["items"]

    assert person_page.status_code == 200
    assert f"/community/p/{post.pk}/" not in person_page.content.decode()
    assert post.pk not in feed
    assert f"/community/p/{post.pk}/" in tag_page
    assert "SilverFern" in tag_page
    assert "Moe Spacemod" not in tag_page
    assert tag_api[0]["author"] == {
        "name": "SilverFern",
        "handle": "",
        "pseudonymous": True,
        "real_name": "",
        "verified_clinician": True,
        "clinician_title": "Endocrinologist",
    }
    own = client_of(writer).get(reverse("community:person_detail", args=[handle])).content.decode()
    assert f"/community/p/{post.pk}/" in own
