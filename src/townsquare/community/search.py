"""Searchable community text for ``core.search``: published posts and comments.

Searches pass ``within=`` the viewer's readable posts or comments
(``selectors.visibility.posts_read_by`` / ``comments_read_by``), so a private space's text
never reaches anyone outside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from townsquare.core.search import Document, search_source

from .documents import COMMENT_KIND, POST_KIND, comment_document, post_document
from .models import Comment, ContentStatus, Post, PostHashtag

BATCH_SIZE = 2_000


@search_source(POST_KIND)
def post_documents() -> Iterator[Document]:
    """Every published post, with its hashtags read for a batch of posts in one query."""
    posts = Post.objects.filter(status=ContentStatus.PUBLISHED).select_related("space")
    last = 0
    while batch := list(posts.filter(pk__gt=last).order_by("pk")[:BATCH_SIZE]):
        last = batch[-1].pk
        tags: dict[int, list[str]] = defaultdict(list)
        rows = PostHashtag.objects.filter(post_id__in=[post.pk for post in batch])
        for post_id, name in rows.values_list("post_id", "hashtag__name"):
            tags[post_id].append(name)
        for post in batch:
            yield Document(object_id=post.pk, **post_document(post, tags=tags[post.pk]))


@search_source(COMMENT_KIND)
def comment_documents() -> Iterator[Document]:
    comments = Comment.objects.filter(
        status=ContentStatus.PUBLISHED, post__status=ContentStatus.PUBLISHED
    ).select_related("post")
    for comment in comments.order_by("pk").iterator(chunk_size=500):
        yield Document(object_id=comment.pk, **comment_document(comment))
