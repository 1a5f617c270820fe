"""Searchable community text for ``core.search``: published posts and comments.

Searches pass ``within=`` the viewer's readable posts or comments
(``selectors.visibility.posts_read_by`` / ``comments_read_by``), so a private space's text
never reaches anyone outside it.
"""

from __future__ import annotations

from collections.abc import Iterator

from townsquare.core.search import Document, search_source

from .documents import COMMENT_KIND, POST_KIND, comment_document, post_document
from .models import Comment, ContentStatus, Post


@search_source(POST_KIND)
def post_documents() -> Iterator[Document]:
    posts = Post.objects.filter(status=ContentStatus.PUBLISHED).select_related("space")
    for post in posts.order_by("pk").iterator(chunk_size=500):
        yield Document(object_id=post.pk, **post_document(post))


@search_source(COMMENT_KIND)
def comment_documents() -> Iterator[Document]:
    comments = Comment.objects.filter(
        status=ContentStatus.PUBLISHED, post__status=ContentStatus.PUBLISHED
    ).select_related("post")
    for comment in comments.order_by("pk").iterator(chunk_size=500):
        yield Document(object_id=comment.pk, **comment_document(comment))
