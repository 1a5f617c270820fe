"""The home feed, hashtag pages, the tag list and the community navigation."""

from __future__ import annotations

import base64
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from townsquare.accounts.tests.factories import make_staff, make_user
from townsquare.core import navigation as core_navigation
from townsquare.core.models import AuditRecord
from townsquare.core.navigation import NavItem

from .. import navigation
from ..models import Follow, MembershipRole, MembershipStatus, SpaceKind, SpaceVisibility
from .factories import join, make_employee, make_moderator, make_patient, make_post, make_space
from .support_feeds import client_of, clinician

pytestmark = pytest.mark.django_db

HOME = "/community/"


def _post_links(html: str) -> list[int]:
    return [
        int(pk)
        for pk in re.findall(
            r'class="card-title" id="post-\d+-title"><a href="/community/p/(\d+)/"', html
        )
    ]


def test_home_asks_anonymous_people_to_sign_in():
    response = client_of(None).get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_home_tells_someone_outside_both_networks_who_the_community_is_for():
    outsider = make_user(
        display_name="Una Unaffiliated"
    )  # a professional of no member organization

    response = client_of(outsider).get(HOME)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Community</h1>" in html
    assert "staff of member organizations" in html
    assert "patients, caregivers and the clinicians the center has verified" in html
    assert "ask its leader to add you" in html


def test_empty_home_suggests_spaces_to_join_invitations_first():
    person = make_employee()
    busy = make_space(name="Busy ward", members=(make_employee(), make_employee()))
    quiet = make_space(name="Quiet corner")
    invited_to = make_space(visibility=SpaceVisibility.INVITE_ONLY, name="Invited circle")
    hidden = make_space(visibility=SpaceVisibility.INVITE_ONLY, name="Hidden circle")
    private = make_space(visibility=SpaceVisibility.PRIVATE, name="Private ward")
    patients = make_space(kind=SpaceKind.PATIENT, name="Patient group")
    joined = make_space(name="Already mine")
    join(person, joined, follow=False)
    join(person, invited_to, status=MembershipStatus.INVITED)

    response = client_of(person).get(HOME)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Your feed is empty" in html
    suggested = re.findall(
        r'<li><a href="/community/s/([\w-]+)/">',
        html.split("Spaces you could join")[1].split("See every space")[0],
    )
    assert suggested == [invited_to.slug, busy.slug, private.slug, quiet.slug]
    assert hidden.slug not in html
    assert patients.slug not in html
    assert "you are invited" in html
    assert "private: ask to join" in html


def test_home_shows_followed_spaces_and_people_and_own_posts_newest_first():
    viewer, colleague, stranger = make_employee(), make_employee(), make_employee()
    followed_space = make_space(members=(viewer, colleague, stranger))
    other_space = make_space(members=(colleague, stranger, viewer))
    Follow.objects.filter(follower=viewer, space=other_space).delete()
    Follow.objects.create(follower=viewer, followed_user=colleague)
    first = make_post(stranger, followed_space, body="In the followed space.")
    second = make_post(colleague, other_space, body="By a followed colleague.")
    make_post(stranger, other_space, body="Neither followed nor mine.")
    third = make_post(viewer, other_space, body="My own post.")

    response = client_of(viewer).get(HOME)

    html = response.content.decode()
    assert _post_links(html) == [third.pk, second.pk, first.pk]
    assert "Neither followed nor mine" not in html
    assert '<h2 id="feed-heading">Latest posts</h2>' in html
    assert "Older posts</a>" not in html


def test_home_pages_with_an_older_posts_link_and_back_to_newest():
    viewer = make_employee()
    space = make_space(members=(viewer,))
    posts = [make_post(viewer, space, body=f"Post number {n}.") for n in range(25)]

    first = client_of(viewer).get(HOME).content.decode()
    link = re.search(r'href="\?cursor=([^"]+)" rel="next">Older posts</a>', first)
    assert link is not None
    cursor = link.group(1)
    second = client_of(viewer).get(f"{HOME}?cursor={cursor}").content.decode()

    assert _post_links(first) == [post.pk for post in reversed(posts)][:20]
    assert _post_links(second) == [post.pk for post in reversed(posts)][20:]
    assert "Older posts</a>" not in second
    assert '<a href="?">Newest posts</a>' in second
    assert '<h2 id="feed-heading">Older posts</h2>' in second


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        base64.urlsafe_b64encode(b"2024-01-01T00:00:00|5").decode(),  # no time zone
        base64.urlsafe_b64encode(b"0001-01-01T00:00:00+01:00|5").decode().rstrip("="),
        base64.urlsafe_b64encode(b"9999-12-31T23:59:59-01:00|5").decode().rstrip("="),
        "A" * 201,
    ],
    ids=["garbage", "naive-time", "before-year-one-in-utc", "after-9999-in-utc", "too-long"],
)
def test_a_bad_cursor_is_a_clear_422(cursor):
    viewer = make_employee()
    make_space(members=(viewer,))

    response = client_of(viewer).get(HOME, {"cursor": cursor})

    assert response.status_code == 422
    assert "The page cursor is not valid" in response.content.decode()


def test_the_card_names_the_author_space_kind_and_counts():
    viewer = clinician(display_name="Vera Viewer", title="Diabetologist")
    patient = make_patient(display_name="Real Name", pseudonym="BraveOtter")
    group = make_space(kind=SpaceKind.PATIENT, name="Type 1 together", members=(viewer, patient))
    question = make_post(
        viewer,
        group,
        kind="question",
        title="Pump or pens?",
        body="What **worked** for you? #insulin",
    )
    make_post(patient, group, body="Feeling _better_ this week.")

    html = client_of(make_employee_in(group)).get(HOME).content.decode()

    assert "Pump or pens?" in html
    assert "What worked for you? #insulin" in html  # Markdown left out of the excerpt
    assert "Vera Viewer" in html
    assert "✔ Verified clinician, Diabetologist" in html
    assert "BraveOtter" in html
    assert "Real Name" not in html
    assert f'in <a href="/community/s/{group.slug}/">Type 1 together</a>' in html
    assert '<span class="badge feed-badge-question">Question</span>' in html
    assert f'href="/community/p/{question.pk}/#comments">0 comments' in html


def make_employee_in(space):
    person = clinician()
    join(person, space)
    return person


def test_hashtag_page_lists_readable_tagged_posts():
    viewer = make_employee()
    open_space = make_space(members=(viewer,))
    private = make_space(visibility=SpaceVisibility.PRIVATE)
    author = make_employee()
    join(author, open_space)
    join(author, private)
    tagged = make_post(author, open_space, body="Night shifts #Handover tips.")
    make_post(author, private, body="Private #handover matters.")
    make_post(author, open_space, body="Untagged handover.")

    response = client_of(viewer).get(reverse("community:hashtag", args=["handover"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>#handover</h1>" in html
    assert _post_links(html) == [tagged.pk]


def test_hashtag_addresses_are_lower_case_and_well_formed():
    viewer = make_employee()
    make_space(members=(viewer,))
    client = client_of(viewer)

    assert client.get("/community/tags/Handover/?cursor=").status_code == 301
    assert client.get("/community/tags/Handover/")["Location"] == "/community/tags/handover/"
    assert client.get("/community/tags/1abc/").status_code == 404
    assert client.get("/community/tags/a/").status_code == 404
    assert client.get("/community/tags/" + "a" * 65 + "/").status_code == 404


def test_a_tag_nobody_used_looks_like_a_tag_only_private_spaces_used():
    viewer = make_employee()
    make_space(members=(viewer,))
    private = make_space(visibility=SpaceVisibility.PRIVATE)
    insider = make_employee()
    join(insider, private)
    make_post(insider, private, body="About #mergers.")

    unused = client_of(viewer).get("/community/tags/nothinghere/").content.decode()
    used = client_of(viewer).get("/community/tags/mergers/").content.decode()

    assert "No post you can read has this tag." in unused
    assert "No post you can read has this tag." in used
    csrf = re.compile(r"[A-Za-z0-9]{64}")  # the page's CSRF tokens
    assert csrf.sub("", used.replace("mergers", "X")) == csrf.sub(
        "", unused.replace("nothinghere", "X")
    )


def test_tag_list_counts_only_readable_posts():
    viewer = make_employee()
    open_space = make_space(members=(viewer,))
    private = make_space(visibility=SpaceVisibility.PRIVATE)
    author = make_employee()
    join(author, open_space)
    join(author, private)
    make_post(author, open_space, body="#rostering and #wellbeing")
    make_post(author, open_space, body="More #rostering")
    make_post(author, private, body="#rostering #layoffs in private")

    html = client_of(viewer).get(reverse("community:hashtag_list")).content.decode()
    found = re.findall(
        r'href="/community/tags/(\w+)/">#\w+</a> <span class="meta">(\d+) posts?', html
    )
    assert found == [("rostering", "2"), ("wellbeing", "1")]
    filtered = client_of(viewer).get(reverse("community:hashtag_list"), {"q": "#Well"})
    assert re.findall(r'href="/community/tags/(\w+)/"', filtered.content.decode()) == ["wellbeing"]


@pytest.mark.parametrize(
    "path", ["/community/tags/", "/community/tags/rostering/", "/community/search/"]
)
def test_people_outside_both_networks_are_refused_with_the_reason(path):
    response = client_of(make_user()).get(path)

    assert response.status_code == 403
    assert "The community is for staff of member organizations" in response.content.decode()
    assert AuditRecord.objects.filter(action="access.refused").exists()


def _nav(user) -> list[str]:
    return [label for label, _url in navigation.section_items(user)]


def test_navigation_offers_what_each_person_may_open():
    employee, moderator, staff = make_employee(), make_moderator(), make_staff()
    space_moderator = make_employee()
    join(space_moderator, make_space(), role=MembershipRole.MODERATOR)

    assert _nav(None) == ["Home"]
    assert _nav(make_user()) == ["Home"]
    assert _nav(employee) == ["Home", "Spaces", "Following", "Search"]
    assert _nav(make_patient()) == ["Home", "Spaces", "Following", "Search"]
    assert _nav(space_moderator) == ["Home", "Spaces", "Following", "Search", "Moderation"]
    assert _nav(moderator) == ["Home", "Spaces", "Following", "Search", "Moderation"]
    assert _nav(staff) == ["Home", "Spaces", "Following", "Search", "Moderation", "Clinicians"]


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/community/", "Home"),
        ("/community/tags/", "Search"),
        ("/community/search/", "Search"),
        ("/community/spaces/", "Spaces"),
        ("/community/s/ward-7/", "Spaces"),
        ("/community/p/12/", "Spaces"),
        ("/community/people/ana/", "Following"),
        ("/community/moderation/", "Moderation"),
        ("/community/clinicians/", "Clinicians"),
    ],
)
def test_navigation_marks_the_entry_a_page_belongs_to(monkeypatch, path, current):
    monkeypatch.setitem(
        core_navigation.SECTIONS, "/community/", ("Community", "townsquare.community.navigation")
    )
    request = RequestFactory().get(path)
    request.user = make_staff()

    section = core_navigation.section_navigation_for(request)

    assert section is not None
    assert [item.label for item in section.items if item.is_current] == [current]
    assert all(isinstance(item, NavItem) for item in section.items)
