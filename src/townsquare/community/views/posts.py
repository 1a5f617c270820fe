"""Post pages: write a post (with preview, the privacy guard's warning, attachments), read it with
its poll, reactions and threaded comments, edit it (with its history), delete it; comment, reply,
react, vote and accept an answer; download an attachment.

Each view asks the gates, calls one service or selector, and renders. What the viewer may not
know exists is a 404; what they may see but not do is a 403 (audited by the middleware).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.forms import form_errors_from
from townsquare.core.uploads import attachment_response
from townsquare.privacy import highlight_html

from ..forms.posts import (
    CommentEditForm,
    CommentForm,
    PostEditForm,
    PostForm,
    ReactForm,
    VoteForm,
)
from ..markdown import render_post
from ..models import Comment, Post, PostKind, Space
from ..permissions import (
    can_comment_on,
    can_delete_comment,
    can_delete_post,
    can_edit_comment,
    can_edit_post,
    can_post_in,
    can_see_space,
    can_vote_in,
)
from ..selectors import posts as selectors
from ..selectors.posts import hold_explanation, kind_labels
from ..services import posts as services
from ..services import publishing
from ..services.guard import PhiWarning
from ..services.posts import guarded_texts

# --- Helpers -----------------------------------------------------------------------------------


def _space_to_post_in(user: Any, slug: str) -> Space:
    space = Space.objects.filter(slug=slug).first()
    if space is None or not can_see_space(user, space):
        raise NotFound("There is no such space, or it is not yours to see.")
    if not can_post_in(user, space):
        raise PermissionRefused(
            "Only members of this space may post in it (and not while muted). Join it first."
        )
    return space


def _raise_refusals(error: DomainError) -> None:
    if error.status in (403, 404):
        raise error


@dataclass(frozen=True)
class PhiField:
    label: str
    html: str
    findings: list[str]


def _phi_fields(warning: PhiWarning, texts: dict[str, str], labels: dict[str, str]) -> list[Any]:
    """What the guard found, field by field, highlighted in the text it scanned."""
    shown = []
    for name, found in warning.findings.items():
        if not found:
            continue
        shown.append(
            PhiField(
                label=labels.get(name, name),
                html=highlight_html(texts.get(name, ""), found),
                findings=sorted({finding.label for finding in found}),
            )
        )
    return shown


def _held_message(request: HttpRequest, what: str, result: publishing.Published) -> None:
    messages.warning(
        request,
        f"Your {what} is waiting for a moderator and is not published yet: "
        f"{hold_explanation(result.hold_reason, result.phi_kinds)}",
    )


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- Writing a post ----------------------------------------------------------------------------

FIELD_LABELS = {"title": "Title", "body": "Text", "poll_options": "Poll options"}


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    space = _space_to_post_in(request.user, slug)
    context: dict[str, Any] = {"space": space, "preview": None, "phi": [], "files_dropped": False}
    if request.method != "POST":
        kind = request.GET.get("kind")
        initial = {"kind": kind} if kind in PostKind.values else {}
        context["form"] = PostForm(initial=initial)
        return render(request, "community/posts/post_form.html", context)
    form = PostForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, "community/posts/post_form.html", context, status=422)
    data = form.cleaned_data
    if "preview" in request.POST:
        context["preview"] = render_post(data["body"])
        context["files_dropped"] = bool(form.uploads())
        return render(request, "community/posts/post_form.html", context)
    try:
        attachments = [
            (services.attachment_validate(upload, field_name=name), alt)
            for name, upload, alt in form.uploads()
        ]
        services.attachments_check(attachments)
        result = publishing.post_create(
            actor=request.user,
            space=space,
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            poll_options=form.options(),
            poll_allows_multiple=data["poll_allows_multiple"],
            poll_closes_at=data["poll_closes_at"],
            attachments=attachments,
            confirm_phi=data["confirm_phi"],
            request=request,
        )
    except PhiWarning as warning:
        texts = guarded_texts(title=data["title"], body=data["body"], options=form.options())
        context["phi"] = _phi_fields(warning, texts, FIELD_LABELS)
        context["files_dropped"] = bool(form.uploads())
        return render(request, "community/posts/post_form.html", context, status=422)
    except DomainError as error:
        _raise_refusals(error)
        context["files_dropped"] = bool(form.uploads())
        form_errors_from(error, form)
        return render(request, "community/posts/post_form.html", context, status=422)
    if result.published:
        messages.success(request, "Your post is published.")
    else:
        _held_message(request, "post", result)
    return redirect("community:post_detail", pk=result.obj.pk)


# --- Reading a post ----------------------------------------------------------------------------


def _detail_context(request: HttpRequest, post: Post, **extra: Any) -> dict[str, Any]:
    page = selectors.post_page(viewer=request.user, post=post)
    vote_form = extra.pop("vote_form", None)
    if vote_form is None and page.poll is not None and page.poll.can_vote:
        vote_form = VoteForm(poll=page.poll)
    comment_form = extra.pop("comment_form", None)
    if comment_form is None and page.can_comment:
        comment_form = CommentForm(auto_id="id_comment_%s")
    return {
        "page": page,
        "post": post,
        "space": post.space,
        "vote_form": vote_form,
        "comment_form": comment_form,
        "max_depth": publishing.MAX_COMMENT_DEPTH,
        "hold_text": hold_explanation(post.hold_reason, tuple(post.phi_kinds))
        if post.hold_reason
        else "",
        "phi_labels": kind_labels(post.phi_kinds),
        **extra,
    }


@login_required
@require_GET
def post_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get(viewer=request.user, post_id=pk)
    return render(request, "community/posts/post_detail.html", _detail_context(request, post))


# --- Editing, history, deleting ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get(viewer=request.user, post_id=pk)
    if not can_edit_post(request.user, post):
        raise PermissionRefused("Only the author may edit this post, while they may post here.")
    context: dict[str, Any] = {"post": post, "space": post.space, "preview": None, "phi": []}
    if request.method != "POST":
        context["form"] = PostEditForm(initial={"title": post.title, "body": post.body})
        return render(request, "community/posts/post_edit.html", context)
    form = PostEditForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "community/posts/post_edit.html", context, status=422)
    data = form.cleaned_data
    if "preview" in request.POST:
        context["preview"] = render_post(data["body"])
        return render(request, "community/posts/post_edit.html", context)
    try:
        result = services.post_edit(
            actor=request.user,
            post=post,
            title=data["title"],
            body=data["body"],
            confirm_phi=data["confirm_phi"],
            request=request,
        )
    except PhiWarning as warning:
        texts = guarded_texts(title=data["title"], body=data["body"])
        context["phi"] = _phi_fields(warning, texts, FIELD_LABELS)
        return render(request, "community/posts/post_edit.html", context, status=422)
    except DomainError as error:
        _raise_refusals(error)
        form_errors_from(error, form)
        return render(request, "community/posts/post_edit.html", context, status=422)
    if result.published:
        messages.success(request, "Your changes are published.")
    elif result.hold_reason:
        _held_message(request, "post", result)
    else:
        messages.info(request, "Your changes are saved; the post is still not published.")
    return redirect("community:post_detail", pk=post.pk)


@dataclass(frozen=True)
class Version:
    title: str
    body: str
    editor: Any
    created_at: Any
    changes: list[tuple[str, str]]  # (" ", "+" or "-", line) of the change to the next version
    is_current: bool


def _line_changes(before: str, after: str) -> list[tuple[str, str]]:
    changes = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        sign, text = line[:1], line[2:]
        if sign in ("+", "-", " "):
            changes.append((sign, text))
    return changes


@login_required
@require_GET
def post_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get(viewer=request.user, post_id=pk)
    if not selectors.can_see_history(request.user, post):
        raise PermissionRefused("Only the author and the space's moderators see the edit history.")
    revisions = list(selectors.revisions_of(post)[:100])
    versions = []
    newer_title, newer_body = post.title, post.body
    versions.append(
        Version(post.title, post.body, post.author, post.edited_at or post.created_at, [], True)
    )
    for revision in revisions:
        before = f"{revision.title}\n{revision.body}" if revision.title else revision.body
        after = f"{newer_title}\n{newer_body}" if newer_title else newer_body
        versions.append(
            Version(
                revision.title,
                revision.body,
                revision.editor,
                revision.created_at,
                _line_changes(before, after),
                False,
            )
        )
        newer_title, newer_body = revision.title, revision.body
    return render(
        request,
        "community/posts/post_history.html",
        {"post": post, "space": post.space, "versions": versions},
    )


@login_required
@require_POST
def post_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get(viewer=request.user, post_id=pk)
    if not can_delete_post(request.user, post):
        raise PermissionRefused("Only the author may delete this post.")
    services.post_delete(actor=request.user, post=post)
    messages.success(request, "Your post is deleted.")
    return redirect("community:space_detail", slug=post.space.slug)


# --- Comments ----------------------------------------------------------------------------------


def _comment_page(
    request: HttpRequest, post: Post, form: Any, *, phi: list[Any], status: int
) -> HttpResponse:
    return render(
        request,
        "community/posts/comment_form.html",
        {"post": post, "space": post.space, "form": form, "phi": phi},
        status=status,
    )


@login_required
@require_POST
def comment_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get(viewer=request.user, post_id=pk)
    if not can_comment_on(request.user, post):
        raise PermissionRefused("Only members of the space may comment (and not while muted).")
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _comment_page(request, post, form, phi=[], status=422)
    data = form.cleaned_data
    parent = None
    if data.get("parent"):
        parent = Comment.objects.filter(pk=data["parent"], post=post).first()
        if parent is None:
            form.add_error(None, "You can only reply to a comment of this post.")
            return _comment_page(request, post, form, phi=[], status=422)
    try:
        result = publishing.comment_create(
            actor=request.user,
            post=post,
            body=data["body"],
            parent=parent,
            confirm_phi=data["confirm_phi"],
            request=request,
        )
    except PhiWarning as warning:
        texts = guarded_texts(body=data["body"])
        phi = _phi_fields(warning, texts, {"body": "Your comment"})
        return _comment_page(request, post, form, phi=phi, status=422)
    except DomainError as error:
        _raise_refusals(error)
        form_errors_from(error, form)
        return _comment_page(request, post, form, phi=[], status=422)
    if result.published:
        messages.success(request, "Your comment is published.")
    else:
        _held_message(request, "comment", result)
    return redirect(f"{publishing.post_url(post)}#comment-{result.obj.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = selectors.comment_get(viewer=request.user, comment_id=pk)
    if not can_edit_comment(request.user, comment):
        raise PermissionRefused("Only the author may edit this comment, while they may post here.")
    post = comment.post
    context: dict[str, Any] = {"comment": comment, "post": post, "space": post.space, "phi": []}
    if request.method != "POST":
        context["form"] = CommentEditForm(initial={"body": comment.body})
        return render(request, "community/posts/comment_edit.html", context)
    form = CommentEditForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "community/posts/comment_edit.html", context, status=422)
    data = form.cleaned_data
    try:
        result = services.comment_edit(
            actor=request.user,
            comment=comment,
            body=data["body"],
            confirm_phi=data["confirm_phi"],
            request=request,
        )
    except PhiWarning as warning:
        context["phi"] = _phi_fields(
            warning, guarded_texts(body=data["body"]), {"body": "Your comment"}
        )
        return render(request, "community/posts/comment_edit.html", context, status=422)
    except DomainError as error:
        _raise_refusals(error)
        form_errors_from(error, form)
        return render(request, "community/posts/comment_edit.html", context, status=422)
    if result.published:
        messages.success(request, "Your comment is updated.")
    elif result.hold_reason:
        _held_message(request, "comment", result)
    else:
        messages.info(request, "Your changes are saved; the comment is still not published.")
    return redirect(f"{publishing.post_url(post)}#comment-{comment.pk}")


@login_required
@require_POST
def comment_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = selectors.comment_get(viewer=request.user, comment_id=pk)
    if not can_delete_comment(request.user, comment):
        raise PermissionRefused("Only the author may delete this comment.")
    services.comment_delete(actor=request.user, comment=comment)
    messages.success(request, "Your comment is deleted.")
    return redirect("community:post_detail", pk=comment.post_id)


# --- Reactions, votes, answers -----------------------------------------------------------------


@login_required
@require_POST
def react(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReactForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "errors/problem.html",
            {"error": ValidationFailed("Choose a reaction to a post or a comment.")},
            status=422,
        )
    data = form.cleaned_data
    target: Post | Comment
    if data["target"] == "post":
        target = selectors.post_get(viewer=request.user, post_id=data["target_id"])
        fallback = publishing.post_url(target)
    else:
        target = selectors.comment_get(viewer=request.user, comment_id=data["target_id"])
        fallback = publishing.comment_url(target)
    services.reaction_toggle(actor=request.user, target=target, kind=data["kind"])
    if _is_htmx(request):
        return render(
            request,
            "community/posts/_reactions.html",
            {
                "target": data["target"],
                "target_id": target.pk,
                "reactions": selectors.reaction_bar_of(request.user, target),
                "can_react": True,
                "next": form.next_url(request, fallback),
            },
        )
    return redirect(form.next_url(request, fallback))


@login_required
@require_POST
def poll_vote(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get(viewer=request.user, post_id=pk)
    if not can_vote_in(request.user, post):
        raise PermissionRefused("Only members of the space may vote in its polls.")
    poll = selectors.poll_view(request.user, post)
    if poll is None:
        raise NotFound("This post has no poll.")
    form = VoteForm(request.POST, poll=poll)
    status = 422
    if form.is_valid():
        try:
            services.poll_vote(actor=request.user, post=post, option_ids=form.option_ids())
        except DomainError as error:
            _raise_refusals(error)
            status = error.status
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your vote is counted.")
            return redirect(f"{publishing.post_url(post)}#poll")
    return render(
        request,
        "community/posts/post_detail.html",
        _detail_context(request, post, vote_form=form),
        status=status,
    )


@login_required
@require_POST
def answer_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = selectors.comment_get(viewer=request.user, comment_id=pk)
    services.answer_accept(actor=request.user, comment=comment)
    messages.success(request, "The answer is marked as accepted.")
    return redirect(publishing.comment_url(comment))


# --- Attachments -------------------------------------------------------------------------------

INLINE_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


@login_required
@require_GET
def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    attachment = selectors.attachment_get(viewer=request.user, attachment_id=pk)
    if (
        request.GET.get("inline") == "1"
        and attachment.is_image
        and attachment.content_type in INLINE_IMAGE_TYPES
    ):
        # Shown in the post page's <img>: the checked image type, never sniffed, sandboxed.
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
        response["Content-Disposition"] = "inline"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, max-age=3600"
        return response
    return attachment_response(attachment.file, download_name=attachment.original_name)
