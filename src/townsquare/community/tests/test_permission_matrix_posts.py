"""Post pages and endpoints against every role: reading, writing, editing, history, deleting,
comments, reactions, votes, answers and files. Who gets in, who is refused with which status, and
that refusals change nothing.

The matrix people: ``patient`` is in the patient community; ``member`` is a professional of no
member organization, so outside both networks; ``outsider``, ``org_member`` and ``leader`` belong
to member organizations (the staff network). In the world, ``org_member`` and ``leader`` are
members of an open staff space where ``org_member`` wrote the posts and ``leader`` the comment;
``outsider`` may read it but is no member; ``moderator`` and ``staff`` moderate every space
(without being members: they may not post, comment, react or vote there).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import MATRIX_ROLES, make_matrix_people
from townsquare.core.testing.matrix import (
    DENIED,
    MISSING,
    NOT_AUTHENTICATED,
    OK,
    REDIRECT_LOGIN,
    api_ids,
    assert_api_read,
    assert_api_write,
    assert_page,
    assert_page_write,
    client_as,
    page_ids,
    send_json,
)

from ..models import (
    Comment,
    Poll,
    PollBallot,
    Post,
    PostAttachment,
    PostKind,
    PostRevision,
    Reaction,
    Space,
    SpaceKind,
)
from ..services.posts import attachment_validate
from ..services.publishing import post_create
from .factories import join, make_comment, make_post, make_space
from .support_posts import CLEAN_TEXT, PHONE_TEXT, png_upload

pytestmark = pytest.mark.django_db

ROLES = MATRIX_ROLES
SIGNED_IN = [role for role in ROLES if role != "anonymous"]
OUTSIDE = ("patient", "member")  # cannot use the staff network at all


@dataclass
class World:
    people: dict[str, User | None]
    space: Space
    post: Post
    question: Post
    poll: Post
    held: Post
    comment: Comment
    attachment: PostAttachment
    group: Space
    patient_post: Post


@pytest.fixture
def world() -> World:
    cast = make_matrix_people()
    people = cast.people
    author, leader, patient = people["org_member"], people["leader"], people["patient"]
    assert author is not None
    assert leader is not None
    assert patient is not None
    space = make_space(kind=SpaceKind.STAFF, name="Matrix ward", members=(author, leader))
    post = post_create(
        actor=author,
        space=space,
        body=CLEAN_TEXT,
        attachments=[(attachment_validate(png_upload()), "The board")],
    ).obj
    question = make_post(author, space, kind=PostKind.QUESTION, title="Which pump?")
    poll = make_post(
        author, space, kind=PostKind.POLL, title="When?", body="", poll_options=["Am", "Pm"]
    )
    held = make_post(author, space, body=PHONE_TEXT)
    comment = make_comment(leader, question, body="The small one.")
    group = make_space(kind=SpaceKind.PATIENT, name="Matrix group")
    join(patient, group)
    patient_post = make_post(patient, group, body="How do you sleep with a pump?")
    return World(
        people,
        space,
        post,
        question,
        poll,
        held,
        comment,
        post.attachments.get(),
        group,
        patient_post,
    )


def expect(default, **roles):
    """Every signed-in role gets ``default`` unless named; the two outside the staff network
    get 404 (they may not know these things exist); anonymous people are sent to sign in."""
    statuses = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, default)}
    statuses.update(dict.fromkeys(OUTSIDE, MISSING))
    statuses.update(roles)
    return statuses


def api_expect(default, **roles):
    statuses = expect(default, **roles)
    statuses["anonymous"] = NOT_AUTHENTICATED
    return statuses


READERS = expect(OK)
MEMBERS_POST = {"org_member": 302, "leader": 302}  # the two members of the space

PAGES = [
    ("community:post_detail", "get", "/community/p/{post}/", READERS),
    (
        "community:post_detail (held for a moderator)",
        "get",
        "/community/p/{held}/",
        expect(MISSING, org_member=OK, moderator=OK, staff=OK),
    ),
    (
        "community:post_detail (patient group)",
        "get",
        "/community/p/{patient_post}/",
        expect(MISSING, patient=OK, moderator=OK, staff=OK),
    ),
    ("community:post_detail (unknown)", "get", "/community/p/999999999/", expect(MISSING)),
    (
        "community:post_create",
        "get",
        "/community/s/{slug}/new/",
        expect(DENIED, org_member=OK, leader=OK),
    ),
    ("community:post_edit", "get", "/community/p/{post}/edit/", expect(DENIED, org_member=OK)),
    (
        "community:post_history",
        "get",
        "/community/p/{post}/history/",
        expect(DENIED, org_member=OK, moderator=OK, staff=OK),
    ),
    (
        "community:comment_edit",
        "get",
        "/community/comments/{comment}/edit/",
        expect(DENIED, leader=OK),
    ),
    ("community:attachment_download", "get", "/community/attachments/{attachment}/", READERS),
    (
        "community:attachment_download (inline image)",
        "get",
        "/community/attachments/{attachment}/?inline=1",
        READERS,
    ),
]

WRITES = [
    (
        "community:post_create",
        "/community/s/{slug}/new/",
        {"kind": "discussion", "body": "Matrix post"},
        expect(DENIED, **MEMBERS_POST),
    ),
    (
        "community:post_edit",
        "/community/p/{post}/edit/",
        {"title": "", "body": "Edited in the matrix"},
        expect(DENIED, org_member=302),
    ),
    ("community:post_delete", "/community/p/{post}/delete", {}, expect(DENIED, org_member=302)),
    (
        "community:comment_create",
        "/community/p/{post}/comments",
        {"body": "Matrix comment"},
        expect(DENIED, **MEMBERS_POST),
    ),
    (
        "community:comment_create (patient group)",
        "/community/p/{patient_post}/comments",
        {"body": "Same here"},
        expect(MISSING, patient=302, moderator=DENIED, staff=DENIED),
    ),
    (
        "community:comment_edit",
        "/community/comments/{comment}/edit/",
        {"body": "Edited comment"},
        expect(DENIED, leader=302),
    ),
    (
        "community:comment_delete",
        "/community/comments/{comment}/delete",
        {},
        expect(DENIED, leader=302),
    ),
    (
        "community:answer_accept",
        "/community/comments/{comment}/accept",
        {},
        expect(DENIED, org_member=302, moderator=302, staff=302),
    ),
    (
        "community:react",
        "/community/react",
        {"target": "post", "target_id": "{post}", "kind": "like"},
        expect(DENIED, **MEMBERS_POST),
    ),
    (
        "community:react (a comment)",
        "/community/react",
        {"target": "comment", "target_id": "{comment}", "kind": "thanks"},
        expect(DENIED, **MEMBERS_POST),
    ),
    (
        "community:poll_vote",
        "/community/p/{poll}/vote",
        {"options": "{option}"},
        expect(DENIED, **MEMBERS_POST),
    ),
]

API_READERS = api_expect(OK)
API_MEMBERS = {"org_member": 201, "leader": 201}

API = [
    ("get", "/api/v1/community/posts/{post}", None, API_READERS),
    (
        "get",
        "/api/v1/community/posts/{held}",
        None,
        api_expect(MISSING, org_member=OK, moderator=OK, staff=OK),
    ),
    ("get", "/api/v1/community/posts/{question}/comments", None, API_READERS),
]

API_WRITES = [
    (
        "post",
        "/api/v1/community/spaces/{space}/posts",
        {"body": "Matrix post"},
        api_expect(DENIED, **API_MEMBERS),
    ),
    (
        "patch",
        "/api/v1/community/posts/{post}",
        {"body": "Edited"},
        api_expect(DENIED, org_member=OK),
    ),
    ("delete", "/api/v1/community/posts/{post}", None, api_expect(DENIED, org_member=204)),
    (
        "post",
        "/api/v1/community/posts/{question}/comments",
        {"body": "Answer"},
        api_expect(DENIED, **API_MEMBERS),
    ),
    (
        "patch",
        "/api/v1/community/comments/{comment}",
        {"body": "Edited"},
        api_expect(DENIED, leader=OK),
    ),
    ("delete", "/api/v1/community/comments/{comment}", None, api_expect(DENIED, leader=204)),
    (
        "post",
        "/api/v1/community/posts/{post}/reactions",
        {"kind": "like"},
        api_expect(DENIED, **API_MEMBERS),
    ),
    (
        "delete",
        "/api/v1/community/posts/{post}/reactions/like",
        None,
        api_expect(DENIED, org_member=OK, leader=OK),
    ),
    (
        "post",
        "/api/v1/community/comments/{comment}/reactions",
        {"kind": "support"},
        api_expect(DENIED, **API_MEMBERS),
    ),
    (
        "delete",
        "/api/v1/community/comments/{comment}/reactions/support",
        None,
        api_expect(DENIED, org_member=OK, leader=OK),
    ),
    (
        "post",
        "/api/v1/community/posts/{poll}/votes",
        {"option_ids": ["{option}"]},
        api_expect(DENIED, **API_MEMBERS),
    ),
    (
        "post",
        "/api/v1/community/comments/{comment}/accept",
        None,
        api_expect(DENIED, org_member=OK, moderator=OK, staff=OK),
    ),
]


def _option(world: World) -> int:
    return (
        Poll.objects.get(post=world.poll)
        .options.order_by("position")
        .values_list("pk", flat=True)[0]
    )


def fill(template: str, world: World) -> str:
    return template.format(
        slug=world.space.slug,
        space=world.space.pk,
        post=world.post.pk,
        question=world.question.pk,
        poll=world.poll.pk,
        held=world.held.pk,
        comment=world.comment.pk,
        attachment=world.attachment.pk,
        patient_post=world.patient_post.pk,
        option=_option(world),
    )


def fill_value(value, world: World):
    if isinstance(value, str):
        filled = fill(value, world)
        return int(filled) if value.startswith("{") and filled.isdigit() else filled
    if isinstance(value, list):
        return [fill_value(item, world) for item in value]
    return value


def state() -> tuple:
    return (
        list(Post.objects.order_by("pk").values_list("pk", "status", "title", "body")),
        list(Comment.objects.order_by("pk").values_list("pk", "status", "body")),
        list(Reaction.objects.order_by("pk").values_list("user_id", "post_id", "comment_id")),
        list(PollBallot.objects.order_by("pk").values_list("poll_id", "user_id")),
        list(Post.objects.order_by("pk").values_list("accepted_comment_id", flat=True)),
        PostRevision.objects.count(),
    )


def _read_to_the_end(response) -> None:
    """Read a file response to its end, which closes the file (``response.close()`` would also
    close the test's database connection)."""
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "expected"), PAGES, ids=page_ids(PAGES))
def test_pages(world, role, name, method, path, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    _read_to_the_end(response)
    assert_page(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "path", "data", "expected"), WRITES, ids=page_ids(WRITES))
def test_page_writes(world, role, name, path, data, expected):
    before = state()
    payload = {key: fill(value, world) for key, value in data.items()}
    response = client_as(world, role).post(fill(path, world), payload)
    assert_page_write(
        response, expected[role], before, state(), changed_otherwise=True, audited=True
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), API, ids=api_ids(API))
def test_api_reads(world, role, method, path, body, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_api_read(response, expected[role], json_body=True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), API_WRITES, ids=api_ids(API_WRITES)
)
def test_api_writes(world, role, method, path, body, expected):
    before = state()
    payload = {key: fill_value(value, world) for key, value in body.items()} if body else body
    response = send_json(client_as(world, role), method, fill(path, world), payload)
    assert_api_write(
        response,
        expected[role],
        before,
        state(),
        unchanged=(DENIED, NOT_AUTHENTICATED, MISSING),
        problem_for=(DENIED, NOT_AUTHENTICATED, MISSING),
        code_for=(DENIED,),
        codes={"permission-denied"},
    )
