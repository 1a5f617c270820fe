"""The searchable text of posts and comments (kinds `community.post`, `community.comment`)."""

from __future__ import annotations

from collections.abc import Iterable

from townsquare.core.search import markdown_text

from .models import Comment, Post, PostHashtag

POST_KIND = "community.post"
COMMENT_KIND = "community.comment"


def post_document(post: Post, *, tags: Iterable[str] | None = None) -> dict[str, str]:
    """The searchable text of a post (``post.space`` loaded). Its hashtags are read from the
    table unless given (``search.post_documents`` reads them for many posts at once)."""
    if tags is None:
        tags = PostHashtag.objects.filter(post=post).values_list("hashtag__name", flat=True)
    body = markdown_text(post.body)
    return {
        "title": post.title or body[:120],
        "body": body,
        "keywords": " ".join([post.space.name, *tags]),
    }


def comment_document(comment: Comment) -> dict[str, str]:
    """The searchable text of a comment (``comment.post`` loaded): its post's title, its text."""
    return {
        "title": comment.post.title or markdown_text(comment.post.body)[:120],
        "body": markdown_text(comment.body),
    }
