"""The posts API: writing (published, held, or a 422 privacy warning with findings), reading,
editing, deleting, comments, reactions, votes and accepted answers."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ..models import Comment, ContentStatus, Post, PostKind, Reaction
from .factories import make_comment, make_post, make_space
from .support_posts import CLEAN_TEXT, PHONE_TEXT, handle_of, patient_cast, staff_cast

pytestmark = pytest.mark.django_db

API = "/api/v1/community"


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def send(client: Client, method: str, path: str, body=None):
    return getattr(client, method)(
        f"{API}{path}",
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
    )


def test_writing_a_post_returns_it_published():
    cast = staff_cast()
    response = send(
        client_for(cast.author),
        "post",
        f"/spaces/{cast.space.pk}/posts",
        {"title": "Handover", "body": f"**New** #rota for @{handle_of(cast.colleague)}"},
    )
    assert response.status_code == 201
    data = response.json()
    post = Post.objects.get()
    assert data["id"] == post.pk
    assert data["url"] == f"/community/p/{post.pk}/"
    assert data["status"] == "published"
    assert data["hold_reason"] == ""
    assert data["kind"] == "discussion"
    assert data["author"]["name"] == "Ada Author"
    assert data["body_html"].startswith('<p><strong>New</strong> <a href="/community/tags/rota/"')
    assert f'href="/community/people/{handle_of(cast.colleague)}/"' in data["body_html"]
    assert data["permissions"] == {
        "can_edit": True,
        "can_delete": True,
        "can_comment": True,
        "can_react": True,
        "can_flag": False,
        "can_see_history": True,
    }
    assert [r["kind"] for r in data["reactions"]] == [
        "like",
        "support",
        "celebrate",
        "insightful",
        "thanks",
    ]


def test_a_held_post_is_a_201_with_its_status_and_reason():
    cast = staff_cast()
    response = send(
        client_for(cast.author), "post", f"/spaces/{cast.space.pk}/posts", {"body": PHONE_TEXT}
    )
    assert response.status_code == 201
    data = response.json()
    assert (data["status"], data["hold_reason"]) == ("pending", "phi")
    assert "phone" in data["phi_kinds"]
    assert data["hold_explanation"].startswith("the privacy guard found what may identify")
    other = send(client_for(cast.colleague), "get", f"/posts/{data['id']}")
    assert other.status_code == 404


def test_a_privacy_warning_is_a_422_problem_with_findings_and_confirm_phi_publishes():
    cast = patient_cast()
    client = client_for(cast.author)
    warned = send(client, "post", f"/spaces/{cast.space.pk}/posts", {"body": PHONE_TEXT})
    assert warned.status_code == 422
    assert warned["Content-Type"] == "application/problem+json"
    problem = warned.json()
    assert problem["code"] == "phi-warning"
    assert [f["kind"] for f in problem["findings"]["body"]] == ["name", "phone"]
    phone = problem["findings"]["body"][1]
    assert PHONE_TEXT[phone["start"] : phone["end"]] == "555-123-4567"
    assert "555" not in json.dumps(problem)
    assert Post.objects.count() == 0
    confirmed = send(
        client, "post", f"/spaces/{cast.space.pk}/posts", {"body": PHONE_TEXT, "confirm_phi": True}
    )
    assert confirmed.status_code == 201
    assert confirmed.json()["author"] == {
        "name": "SugarFree",
        "pseudonymous": True,
        "real_name": "Paula Private",  # the author sees who they are
        "handle": handle_of(cast.author),
        "verified_clinician": False,
        "clinician_title": "",
    }
    peer_view = send(client_for(cast.peer), "get", f"/posts/{confirmed.json()['id']}").json()
    assert peer_view["author"]["real_name"] == ""
    assert peer_view["author"]["handle"] == ""
    assert peer_view["phi_kinds"] == []


def test_posting_where_one_may_not():
    cast = staff_cast()
    hidden = make_space(visibility="invite_only")
    assert (
        send(client_for(cast.outsider), "post", f"/spaces/{cast.space.pk}/posts", {"body": "x"})
    ).status_code == 403
    assert (
        send(client_for(cast.author), "post", f"/spaces/{hidden.pk}/posts", {"body": "x"})
    ).status_code == 404
    assert (
        send(Client(), "post", f"/spaces/{cast.space.pk}/posts", {"body": "x"}).status_code == 401
    )
    assert Post.objects.count() == 0


def test_a_mention_of_someone_who_cannot_see_the_space_is_a_422():
    cast = staff_cast()
    from .factories import make_patient

    patient = make_patient()
    response = send(
        client_for(cast.author),
        "post",
        f"/spaces/{cast.space.pk}/posts",
        {"body": f"@{handle_of(patient)} hello"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"body": [f"@{handle_of(patient)} cannot see this space."]}


def test_a_poll_through_the_api_and_voting_once():
    cast = staff_cast()
    created = send(
        client_for(cast.author),
        "post",
        f"/spaces/{cast.space.pk}/posts",
        {"kind": "poll", "title": "When?", "poll_options": ["Am", "Pm"]},
    ).json()
    assert created["poll"]["options"][0]["votes"] is None  # hidden until one votes
    first, second = (option["id"] for option in created["poll"]["options"])
    client = client_for(cast.colleague)
    voted = send(client, "post", f"/posts/{created['id']}/votes", {"option_ids": [second]})
    assert voted.status_code == 201
    assert [(o["votes"], o["chosen"]) for o in voted.json()["options"]] == [(0, False), (1, True)]
    again = send(client, "post", f"/posts/{created['id']}/votes", {"option_ids": [first]})
    assert again.status_code == 409
    assert (
        again.json()["detail"] == "You have already voted in this poll; a vote cannot be changed."
    )


def test_an_oversized_poll_option_is_refused_at_the_edge():
    cast = staff_cast()
    response = send(
        client_for(cast.author),
        "post",
        f"/spaces/{cast.space.pk}/posts",
        {"kind": "poll", "title": "When?", "poll_options": ["Am", "p" * 201]},
    )
    assert response.status_code == 422
    assert Post.objects.count() == 0


def test_editing_and_deleting_through_the_api():
    cast = staff_cast()
    post = make_post(cast.author, cast.space, body=CLEAN_TEXT)
    other = send(client_for(cast.colleague), "patch", f"/posts/{post.pk}", {"body": "Mine"})
    assert other.status_code == 403
    client = client_for(cast.author)
    edited = send(client, "patch", f"/posts/{post.pk}", {"body": "Revised"})
    assert edited.status_code == 200
    assert edited.json()["body"] == "Revised"
    assert edited.json()["edited_at"] is not None
    held = send(client, "patch", f"/posts/{post.pk}", {"body": PHONE_TEXT}).json()
    assert (held["status"], held["hold_reason"]) == ("pending", "phi")
    assert send(client, "delete", f"/posts/{post.pk}").status_code == 204
    assert Post.objects.get(pk=post.pk).status == ContentStatus.DELETED
    assert send(client, "get", f"/posts/{post.pk}").status_code == 404


def test_comments_list_and_write():
    cast = staff_cast()
    post = make_post(cast.author, cast.space, kind=PostKind.QUESTION, title="Which pump?")
    client = client_for(cast.colleague)
    created = send(client, "post", f"/posts/{post.pk}/comments", {"body": "The small one"})
    assert created.status_code == 201
    comment_id = created.json()["id"]
    reply = send(
        client_for(cast.author),
        "post",
        f"/posts/{post.pk}/comments",
        {"body": "Thanks", "parent_id": comment_id},
    )
    assert reply.json()["depth"] == 1
    held = send(client, "post", f"/posts/{post.pk}/comments", {"body": PHONE_TEXT})
    assert held.json()["status"] == "pending"
    # the author of the held comment sees it; others do not
    own = send(client, "get", f"/posts/{post.pk}/comments?limit=10").json()
    assert own["count"] == 3
    others = send(client_for(cast.author), "get", f"/posts/{post.pk}/comments").json()
    assert others["count"] == 2
    assert [item["body"] for item in others["items"]] == ["The small one", "Thanks"]
    page = send(client_for(cast.author), "get", f"/posts/{post.pk}/comments?limit=1&offset=1")
    assert [item["body"] for item in page.json()["items"]] == ["Thanks"]
    bad_parent = send(
        client, "post", f"/posts/{post.pk}/comments", {"body": "x", "parent_id": 10**9}
    )
    assert bad_parent.status_code == 422


def test_comment_edit_delete_and_accept():
    cast = staff_cast()
    post = make_post(cast.author, cast.space, kind=PostKind.QUESTION, title="Which pump?")
    comment = make_comment(cast.colleague, post)
    client = client_for(cast.colleague)
    assert send(client, "patch", f"/comments/{comment.pk}", {"body": "Edited"}).json()["body"] == (
        "Edited"
    )
    assert send(client, "post", f"/comments/{comment.pk}/accept").status_code == 403
    accepted = send(client_for(cast.author), "post", f"/comments/{comment.pk}/accept")
    assert accepted.json() == {"post_id": post.pk, "accepted_comment_id": comment.pk}
    assert send(client_for(cast.author), "delete", f"/comments/{comment.pk}").status_code == 403
    assert send(client, "delete", f"/comments/{comment.pk}").status_code == 204
    assert Comment.objects.get(pk=comment.pk).status == ContentStatus.DELETED
    assert Post.objects.get(pk=post.pk).accepted_comment_id is None


def test_reactions_through_the_api():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    comment = make_comment(cast.author, post)
    client = client_for(cast.colleague)
    added = send(client, "post", f"/posts/{post.pk}/reactions", {"kind": "thanks"})
    assert added.status_code == 201
    assert added.json()["reaction_count"] == 1
    again = send(client, "post", f"/posts/{post.pk}/reactions", {"kind": "thanks"})
    assert again.status_code == 200
    assert again.json()["reaction_count"] == 1
    removed = send(client, "delete", f"/posts/{post.pk}/reactions/thanks")
    assert removed.json()["reaction_count"] == 0
    on_comment = send(client, "post", f"/comments/{comment.pk}/reactions", {"kind": "like"})
    assert on_comment.status_code == 201
    assert {r["kind"]: r["mine"] for r in on_comment.json()["reactions"]}["like"] is True
    assert send(client, "delete", f"/comments/{comment.pk}/reactions/like").status_code == 200
    assert Reaction.objects.count() == 0
    assert send(client, "delete", f"/comments/{comment.pk}/reactions/angry").status_code == 422
    outsider = send(
        client_for(cast.outsider), "post", f"/posts/{post.pk}/reactions", {"kind": "like"}
    )
    assert outsider.status_code == 403


def test_huge_ids_are_refused_at_the_edge():
    cast = staff_cast()
    response = send(client_for(cast.author), "get", f"/posts/{2**70}")
    assert response.status_code == 422
