"""Post pages: writing (preview, the guard's warning and hold, polls, attachments), reading
(threads, accepted answers, held posts, pseudonyms), editing with history, deleting, downloading
files; and the post page's fixed number of queries at 5 and at 50 comments."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from townsquare.notifications.models import NotificationKind

from ..models import Comment, ContentStatus, Post, PostAttachment, PostKind, PostRevision
from ..services.posts import answer_accept
from ..services.publishing import comment_unpublished, post_create
from .factories import join, make_comment, make_employee, make_post
from .support_posts import (
    CLEAN_TEXT,
    PHONE_TEXT,
    fake_png_upload,
    handle_of,
    notifications_of,
    patient_cast,
    pdf_upload,
    png_upload,
    staff_cast,
)

pytestmark = pytest.mark.django_db


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def text_of(response) -> str:
    return response.content.decode()


def streamed(response: Any) -> bytes:
    """A file response's content; reading it to the end closes the file (closing the response
    yourself would also close the test's database connection)."""
    return b"".join(response.streaming_content)


def new_post_url(space) -> str:
    return f"/community/s/{space.slug}/new/"


# --- Writing a post ------------------------------------------------------------------------------


def test_the_new_post_form_is_for_members():
    cast = staff_cast()
    page = client_for(cast.author).get(new_post_url(cast.space))
    assert page.status_code == 200
    html = text_of(page)
    assert "<h1>New post in Ward 5 nurses</h1>" in html
    assert "<legend>Kind of post</legend>" in html
    assert 'name="attachment_6"' in html
    assert "Never post protected health information." in html
    assert client_for(cast.outsider).get(new_post_url(cast.space)).status_code == 403
    assert Client().get(new_post_url(cast.space)).status_code == 302


def test_posting_from_the_page_publishes_and_goes_to_the_post():
    cast = staff_cast()
    client = client_for(cast.author)
    response = client.post(
        new_post_url(cast.space), {"kind": "discussion", "title": "", "body": CLEAN_TEXT}
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/community/p/{post.pk}/"
    assert post.status == ContentStatus.PUBLISHED
    page = client.get(response["Location"])
    assert "Your post is published." in text_of(page)


def test_preview_renders_the_markdown_and_writes_nothing():
    cast = staff_cast()
    response = client_for(cast.author).post(
        new_post_url(cast.space),
        {
            "kind": "discussion",
            "body": f"**Bold** idea for @{handle_of(cast.colleague)} #handover",
            "preview": "1",
        },
    )
    assert response.status_code == 200
    html = text_of(response)
    assert '<h2 id="preview-heading">Preview</h2>' in html
    assert "<strong>Bold</strong>" in html
    assert f'href="/community/people/{handle_of(cast.colleague)}/"' in html
    assert 'href="/community/tags/handover/"' in html
    assert Post.objects.count() == 0
    assert notifications_of(cast.colleague) == []


def test_a_question_without_a_title_is_shown_again_with_the_error():
    cast = staff_cast()
    response = client_for(cast.author).post(
        new_post_url(cast.space), {"kind": "question", "title": "", "body": "Anyone?"}
    )
    assert response.status_code == 422
    html = text_of(response)
    assert 'id="id_title_error"' in html
    assert "Write a title." in html
    assert Post.objects.count() == 0


def test_a_poll_is_written_from_the_page():
    cast = staff_cast()
    response = client_for(cast.author).post(
        new_post_url(cast.space),
        {
            "kind": "poll",
            "title": "Best huddle time?",
            "body": "",
            "poll_options": "08:00\n08:30\n\n09:00",
            "poll_allows_multiple": "on",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.kind == PostKind.POLL
    assert post.poll.allows_multiple is True
    assert list(post.poll.options.values_list("label", flat=True)) == ["08:00", "08:30", "09:00"]


def test_the_patient_community_shows_what_the_guard_found_and_lets_the_author_confirm():
    cast = patient_cast()
    client = client_for(cast.author)
    data = {"kind": "discussion", "title": "My week", "body": PHONE_TEXT}
    warned = client.post(new_post_url(cast.space), data)
    assert warned.status_code == 422
    html = text_of(warned)
    assert "Check this before you share it" in html
    assert (
        '<mark class="phi-finding" data-kind="phone">555-123-4567'
        '<span class="visually-hidden"> (Telephone number)</span></mark>'
    ) in html
    assert "Text: Name, Telephone number" in html
    assert 'name="confirm_phi"' in html
    assert "I have checked: this is mine to share" in html
    assert PHONE_TEXT.replace("'", "&#x27;") in html  # the text is kept for editing
    assert Post.objects.count() == 0
    confirmed = client.post(new_post_url(cast.space), {**data, "confirm_phi": "on"})
    assert confirmed.status_code == 302
    post = Post.objects.get()
    assert post.status == ContentStatus.PUBLISHED
    assert post.phi_confirmed is True


def test_the_patient_community_author_may_edit_the_finding_out_instead():
    cast = patient_cast()
    client = client_for(cast.author)
    client.post(new_post_url(cast.space), {"kind": "discussion", "body": PHONE_TEXT})
    edited = client.post(new_post_url(cast.space), {"kind": "discussion", "body": CLEAN_TEXT})
    assert edited.status_code == 302
    assert Post.objects.get().phi_confirmed is False


def test_the_staff_network_says_the_post_is_held_for_a_moderator_and_why():
    cast = staff_cast()
    client = client_for(cast.author)
    response = client.post(new_post_url(cast.space), {"kind": "discussion", "body": PHONE_TEXT})
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/community/p/{post.pk}/"
    html = text_of(client.get(response["Location"]))
    assert "Your post is waiting for a moderator and is not published yet" in html
    assert "Waiting for a moderator." in html
    assert "the privacy guard found what may identify a person (name, telephone number)" in html
    # nobody else can open it; its moderator can
    assert client_for(cast.colleague).get(f"/community/p/{post.pk}/").status_code == 404
    moderator_page = client_for(cast.moderator).get(f"/community/p/{post.pk}/")
    assert moderator_page.status_code == 200
    assert "Waiting for a moderator." in text_of(moderator_page)


def test_a_space_with_pre_approval_says_so():
    cast = staff_cast(requires_approval=True)
    client = client_for(cast.author)
    response = client.post(new_post_url(cast.space), {"kind": "discussion", "body": CLEAN_TEXT})
    html = text_of(client.get(response["Location"]))
    assert "this space&#x27;s moderators approve every post before it is published." in html


def test_attachments_are_kept_with_their_descriptions():
    cast = staff_cast()
    response = client_for(cast.author).post(
        new_post_url(cast.space),
        {
            "kind": "discussion",
            "body": CLEAN_TEXT,
            "attachment_1": png_upload("board.png"),
            "alt_1": "The huddle board with this week's rota",
            "attachment_2": pdf_upload(),
        },
    )
    assert response.status_code == 302
    image, document = PostAttachment.objects.order_by("position")
    page = text_of(client_for(cast.colleague).get(response["Location"]))
    assert (
        f'<img src="/community/attachments/{image.pk}/?inline=1" '
        'alt="The huddle board with this week&#x27;s rota" loading="lazy">'
    ) in page
    assert f'<a href="/community/attachments/{document.pk}/">checklist.pdf</a>' in page


def test_an_oversized_image_is_refused_clearly_and_nothing_is_written():
    cast = staff_cast()
    response = client_for(cast.author).post(
        new_post_url(cast.space),
        {
            "kind": "discussion",
            "body": CLEAN_TEXT,
            "attachment_1": png_upload("scan.png", padding=6 * 1024 * 1024),
            "alt_1": "A scan",
        },
    )
    assert response.status_code == 422
    html = text_of(response)
    assert "“scan.png” is 6.0 MB; the limit is 5.0 MB." in html
    assert "Your files were not kept: choose them again before you post." in html
    assert Post.objects.count() == 0
    assert PostAttachment.objects.count() == 0


@pytest.mark.parametrize(
    ("upload", "alt", "message"),
    [
        (png_upload, "", "Images need a short description (alt text)."),
        (fake_png_upload, "x", "is not a .png file"),
    ],
)
def test_an_attachment_problem_is_shown_and_nothing_is_written(upload, alt, message):
    cast = staff_cast()
    response = client_for(cast.author).post(
        new_post_url(cast.space),
        {"kind": "discussion", "body": CLEAN_TEXT, "attachment_1": upload(), "alt_1": alt},
    )
    assert response.status_code == 422
    assert message in text_of(response)
    assert Post.objects.count() == 0


# --- Reading a post ------------------------------------------------------------------------------


def test_script_in_markdown_is_rendered_harmless():
    cast = staff_cast()
    post = make_post(
        cast.author,
        cast.space,
        body='<script>alert("x")</script> [click](javascript:alert(1)) '
        "<img src=x onerror=alert(1)>",
    )
    html = text_of(client_for(cast.colleague).get(f"/community/p/{post.pk}/"))
    body = html.split('<div class="prose post-body">')[1].split("</div>")[0]
    assert "<script>" not in body
    assert "&lt;script&gt;" in body
    assert "javascript:" not in body.replace("[click](javascript:alert(1))", "")
    assert "onerror" not in body.replace("&lt;img src=x onerror=alert(1)&gt;", "")


def test_threads_placeholders_and_the_accepted_answer_first():
    cast = patient_cast()
    question = make_post(cast.author, cast.space, kind=PostKind.QUESTION, title="Pump or pen?")
    first = make_comment(cast.peer, question, body="I use a pen.")
    reply = make_comment(cast.author, question, parent=first, body="Thanks!")
    answer = make_comment(cast.clinician, question, body="Either works; ask your team.")
    answer_accept(actor=cast.author, comment=answer)
    comment_unpublished(first, status=ContentStatus.DELETED)
    html = text_of(client_for(cast.peer).get(f"/community/p/{question.pk}/"))
    assert '<h2 id="accepted-heading">Accepted answer</h2>' in html
    accepted = html.split('id="accepted-heading"')[1].split("</section>")[0]
    assert "Either works; ask your team." in accepted
    assert "Answer from a verified clinician" in accepted
    assert "✔ Verified clinician, Endocrinologist" in accepted
    thread = html.split('<ol class="comment-thread">')[1]
    # the accepted answer's thread first, then the deleted comment kept for its reply
    assert thread.index(f'id="comment-{answer.pk}"') < thread.index(f'id="comment-{first.pk}"')
    assert "This comment was deleted by its author." in thread
    assert "I use a pen." not in html
    assert f'id="comment-{reply.pk}"' in thread
    assert "Answers (2)" in html


def test_a_pseudonym_hides_the_person_from_peers_but_not_from_moderators():
    cast = patient_cast()
    post = make_post(cast.author, cast.space, body=CLEAN_TEXT)
    peer_view = text_of(client_for(cast.peer).get(f"/community/p/{post.pk}/"))
    assert "SugarFree" in peer_view
    assert "Paula Private" not in peer_view
    moderator_view = text_of(client_for(cast.moderator).get(f"/community/p/{post.pk}/"))
    assert "(pseudonym: Paula Private)" in moderator_view


def test_a_post_in_a_space_one_cannot_read_is_not_found():
    from .support_posts import private_staff_space

    author = make_employee()
    space = private_staff_space(author)
    post = make_post(author, space)
    outsider = make_employee()
    assert client_for(outsider).get(f"/community/p/{post.pk}/").status_code == 404
    assert client_for(author).get(f"/community/p/{post.pk}/").status_code == 200


def test_an_unknown_or_huge_post_id_is_not_found():
    cast = staff_cast()
    client = client_for(cast.author)
    assert client.get("/community/p/999999/").status_code == 404
    assert client.get(f"/community/p/{2**70}/").status_code == 404


def _seed_comments(count: int):
    cast = staff_cast()
    post = make_post(
        cast.author,
        cast.space,
        kind=PostKind.POLL,
        title="Which huddle time?",
        body=f"Vote please @{handle_of(cast.colleague)} #huddle",
        poll_options=["08:00", "09:00"],
    )
    image = __import__(
        "townsquare.community.services.posts", fromlist=["attachment_validate"]
    ).attachment_validate(png_upload())
    from ..services.publishing import attachment_save

    attachment_save(post=post, upload=image, alt_text="Board", position=0)
    people = [cast.colleague, cast.moderator, cast.author]
    parents: list[Comment] = []
    for number in range(count):
        parent = parents[-1] if number % 3 == 2 and parents else None
        comment = make_comment(
            people[number % 3],
            post,
            body=f"Comment {number} for @{handle_of(cast.author)}",
            parent=parent,
        )
        parents.append(comment)
        if number % 4 == 0:
            from ..services.posts import reaction_add

            reaction_add(actor=cast.colleague, target=comment, kind="like")
    return cast, post


@pytest.mark.parametrize("count", [5, 50])
def test_the_post_page_query_count_is_fixed(django_assert_num_queries, count):
    cast, post = _seed_comments(count)
    client = client_for(cast.colleague)
    client.get("/community/")  # warm the session
    # session, user, post (+space, author, poll), the viewer's roles, organization check,
    # membership, comments (+authors), known handles, reactions, attachments, poll options,
    # own ballot, and the community navigation's "moderates somewhere" check
    with django_assert_num_queries(13):
        response = client.get(f"/community/p/{post.pk}/")
    assert response.status_code == 200
    assert response.context["page"].comments_shown == count
    assert len(re.findall(r'<li class="comment ', text_of(response))) == count


# --- Editing, history, deleting ------------------------------------------------------------------


def test_the_author_edits_and_the_history_shows_what_changed():
    cast = staff_cast()
    post = make_post(cast.author, cast.space, body="First line\nSecond line")
    client = client_for(cast.author)
    form = client.get(f"/community/p/{post.pk}/edit/")
    assert form.status_code == 200
    assert "First line\nSecond line</textarea>" in text_of(form)
    response = client.post(
        f"/community/p/{post.pk}/edit/", {"title": "", "body": "First line\nBetter line"}
    )
    assert response.status_code == 302
    assert PostRevision.objects.filter(post=post).count() == 1
    page = text_of(client.get(f"/community/p/{post.pk}/"))
    assert f'edited (<a href="/community/p/{post.pk}/history/">history</a>)' in page
    history = client.get(f"/community/p/{post.pk}/history/")
    assert history.status_code == 200
    html = text_of(history)
    assert "<del>- Second line</del>" in html
    assert "<ins>+ Better line</ins>" in html
    assert client_for(cast.moderator).get(f"/community/p/{post.pk}/history/").status_code == 200
    assert client_for(cast.colleague).get(f"/community/p/{post.pk}/history/").status_code == 403


def test_editing_someone_elses_post_is_refused_on_the_page():
    cast = staff_cast()
    post = make_post(cast.author, cast.space, body=CLEAN_TEXT)
    client = client_for(cast.colleague)
    assert client.get(f"/community/p/{post.pk}/edit/").status_code == 403
    response = client.post(f"/community/p/{post.pk}/edit/", {"body": "Taken over"})
    assert response.status_code == 403
    assert Post.objects.get(pk=post.pk).body == CLEAN_TEXT


def test_an_edit_in_the_patient_community_shows_the_warning():
    cast = patient_cast()
    post = make_post(cast.author, cast.space, body=CLEAN_TEXT)
    response = client_for(cast.author).post(
        f"/community/p/{post.pk}/edit/", {"title": "", "body": PHONE_TEXT}
    )
    assert response.status_code == 422
    assert 'data-kind="phone"' in text_of(response)
    assert Post.objects.get(pk=post.pk).body == CLEAN_TEXT


def test_an_edit_in_the_staff_network_that_adds_an_identifier_says_it_is_held():
    cast = staff_cast()
    post = make_post(cast.author, cast.space, body=CLEAN_TEXT)
    client = client_for(cast.author)
    response = client.post(f"/community/p/{post.pk}/edit/", {"title": "", "body": PHONE_TEXT})
    assert response.status_code == 302
    page = text_of(client.get(response["Location"]))
    assert "Your post is waiting for a moderator" in page
    assert Post.objects.get(pk=post.pk).status == ContentStatus.PENDING


def test_the_author_deletes_a_post_from_its_page():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    assert client_for(cast.colleague).post(f"/community/p/{post.pk}/delete").status_code == 403
    response = client_for(cast.author).post(f"/community/p/{post.pk}/delete")
    assert response.status_code == 302
    assert response["Location"] == f"/community/s/{cast.space.slug}/"
    assert Post.objects.get(pk=post.pk).status == ContentStatus.DELETED
    assert client_for(cast.author).get(f"/community/p/{post.pk}/").status_code == 404


# --- Attachments ---------------------------------------------------------------------------------


def _post_with_files(cast):
    from ..services.posts import attachment_validate

    return post_create(
        actor=cast.author,
        space=cast.space,
        body=CLEAN_TEXT,
        attachments=[
            (attachment_validate(png_upload()), "The board"),
            (attachment_validate(pdf_upload()), ""),
        ],
    ).obj


def test_files_download_as_attachments_and_images_show_inline_only_through_the_view():
    cast = staff_cast()
    post = _post_with_files(cast)
    image, document = post.attachments.order_by("position")
    client = client_for(cast.colleague)
    download = client.get(f"/community/attachments/{document.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="checklist.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert streamed(download).startswith(b"%PDF")
    inline = client.get(f"/community/attachments/{image.pk}/?inline=1")
    assert inline["Content-Type"] == "image/png"
    assert inline["Content-Disposition"] == "inline"
    assert inline["X-Content-Type-Options"] == "nosniff"
    assert inline["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert streamed(inline).startswith(b"\x89PNG")
    # a document never shows inline
    forced = client.get(f"/community/attachments/{document.pk}/?inline=1")
    assert forced["Content-Disposition"].startswith("attachment;")
    streamed(forced)


def test_files_of_posts_one_may_not_see_are_not_found():
    cast = staff_cast()
    post = _post_with_files(cast)
    image = post.attachments.first()
    from ..services.posts import post_delete

    seen = client_for(cast.outsider).get(f"/community/attachments/{image.pk}/")
    assert seen.status_code == 200
    streamed(seen)
    from .factories import make_patient

    assert client_for(make_patient()).get(f"/community/attachments/{image.pk}/").status_code == 404
    post_delete(actor=cast.author, post=post)
    assert client_for(cast.author).get(f"/community/attachments/{image.pk}/").status_code == 404


# --- Comments, reactions, votes, answers on the page ---------------------------------------------


def test_commenting_and_replying_from_the_page():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    client = client_for(cast.colleague)
    response = client.post(f"/community/p/{post.pk}/comments", {"body": "First!"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/community/p/{post.pk}/#comment-{comment.pk}"
    reply = client_for(cast.author).post(
        f"/community/p/{post.pk}/comments", {"body": "Welcome", "parent": str(comment.pk)}
    )
    assert reply.status_code == 302
    assert Comment.objects.get(body="Welcome").parent_id == comment.pk


def test_an_empty_comment_is_shown_again_with_the_error():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    response = client_for(cast.colleague).post(f"/community/p/{post.pk}/comments", {"body": ""})
    assert response.status_code == 422
    assert "This field is required." in text_of(response)
    assert Comment.objects.count() == 0


def test_a_comment_in_the_patient_community_is_confirmed_on_its_own_page():
    cast = patient_cast()
    post = make_post(cast.peer, cast.space)
    client = client_for(cast.author)
    warned = client.post(f"/community/p/{post.pk}/comments", {"body": PHONE_TEXT})
    assert warned.status_code == 422
    html = text_of(warned)
    assert "Your comment: Name, Telephone number" in html
    assert 'data-kind="phone"' in html
    assert Comment.objects.count() == 0
    confirmed = client.post(
        f"/community/p/{post.pk}/comments", {"body": PHONE_TEXT, "confirm_phi": "on"}
    )
    assert confirmed.status_code == 302
    assert Comment.objects.get().phi_confirmed is True


def test_a_held_comment_is_shown_to_its_author_with_the_reason():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    client = client_for(cast.colleague)
    response = client.post(f"/community/p/{post.pk}/comments", {"body": PHONE_TEXT})
    page = text_of(client.get(response["Location"]))
    assert "Your comment is waiting for a moderator" in page
    assert "Waiting for a moderator." in page
    other = text_of(client_for(cast.author).get(f"/community/p/{post.pk}/"))
    assert "555-123-4567" not in other


def test_comment_edit_and_delete_pages():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    comment = make_comment(cast.colleague, post, body="Typo hre")
    client = client_for(cast.colleague)
    assert client.get(f"/community/comments/{comment.pk}/edit/").status_code == 200
    assert client_for(cast.author).get(f"/community/comments/{comment.pk}/edit/").status_code == 403
    response = client.post(f"/community/comments/{comment.pk}/edit/", {"body": "Typo here"})
    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).body == "Typo here"
    assert (
        client_for(cast.author).post(f"/community/comments/{comment.pk}/delete").status_code == 403
    )
    deleted = client.post(f"/community/comments/{comment.pk}/delete")
    assert deleted.status_code == 302
    assert Comment.objects.get(pk=comment.pk).status == ContentStatus.DELETED


def test_reacting_from_the_page_and_with_htmx():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    client = client_for(cast.colleague)
    data = {
        "target": "post",
        "target_id": str(post.pk),
        "kind": "like",
        "next": "https://evil.example/",
    }
    response = client.post("/community/react", data)
    assert response.status_code == 302
    assert response["Location"] == f"/community/p/{post.pk}/"  # a foreign next is ignored
    assert Post.objects.get(pk=post.pk).reaction_count == 1
    partial = client.post("/community/react", {**data, "next": ""}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    html = text_of(partial)
    assert html.startswith(f'<div class="reactions" id="reactions-post-{post.pk}">')
    assert 'aria-pressed="false">👍 Like <span class="reaction-count">0</span>' in html
    assert Post.objects.get(pk=post.pk).reaction_count == 0


def test_voting_from_the_page_and_a_second_vote_is_a_clear_error():
    cast = staff_cast()
    post = make_post(
        cast.author, cast.space, kind="poll", title="When?", body="", poll_options=["Am", "Pm"]
    )
    am, pm = post.poll.options.order_by("position")
    client = client_for(cast.colleague)
    page = text_of(client.get(f"/community/p/{post.pk}/"))
    assert "The results show once you have voted." in page
    response = client.post(f"/community/p/{post.pk}/vote", {"options": str(am.pk)})
    assert response.status_code == 302
    again = client.post(f"/community/p/{post.pk}/vote", {"options": str(pm.pk)})
    assert again.status_code == 409
    html = text_of(again)
    assert "You have already voted in this poll; a vote cannot be changed." in html
    assert "Am <strong>(your choice)</strong>" in html
    assert list(post.poll.options.order_by("position").values_list("vote_count", flat=True)) == [
        1,
        0,
    ]


def test_accepting_an_answer_from_the_page():
    cast = staff_cast()
    question = make_post(cast.author, cast.space, kind="question", title="Which pump?")
    answer = make_comment(cast.colleague, question)
    html = text_of(client_for(cast.author).get(f"/community/p/{question.pk}/"))
    assert f'action="/community/comments/{answer.pk}/accept"' in html
    assert (
        client_for(cast.colleague).post(f"/community/comments/{answer.pk}/accept").status_code
        == 403
    )
    response = client_for(cast.author).post(f"/community/comments/{answer.pk}/accept")
    assert response.status_code == 302
    assert Post.objects.get(pk=question.pk).accepted_comment_id == answer.pk
    assert len(notifications_of(cast.colleague, NotificationKind.ANSWER_ACCEPTED)) == 1


def test_a_member_who_is_not_in_the_space_sees_how_to_take_part():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    newcomer = make_employee()
    html = text_of(client_for(newcomer).get(f"/community/p/{post.pk}/"))
    assert "Members of Ward 5 nurses can comment" in html
    join(newcomer, cast.space)
    html = text_of(client_for(newcomer).get(f"/community/p/{post.pk}/"))
    assert "<h3>Add a comment</h3>" in html
