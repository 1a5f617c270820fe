"""Post pages: write, read, edit, history, delete; comments, reactions, votes, answers, files."""

from __future__ import annotations

from django.urls import path

from ..views import posts as views

urlpatterns = [
    path("s/<slug:slug>/new/", views.post_create, name="post_create"),
    path("p/<int:pk>/", views.post_detail, name="post_detail"),
    path("p/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:pk>/history/", views.post_history, name="post_history"),
    path("p/<int:pk>/delete", views.post_delete, name="post_delete"),
    path("p/<int:pk>/comments", views.comment_create, name="comment_create"),
    path("p/<int:pk>/vote", views.poll_vote, name="poll_vote"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/accept", views.answer_accept, name="answer_accept"),
    path("react", views.react, name="react"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
]
