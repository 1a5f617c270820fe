"""Library pages: collections and toolkits (public pages, and their curation by staff)."""

from __future__ import annotations

from django.urls import path

from ..views import collections as views

urlpatterns = [
    path("collections/", views.collection_list, name="collection_list"),
    path("collections/new/", views.collection_create, name="collection_create"),
    path("collections/<slug:slug>/", views.collection_detail, name="collection_detail"),
    path("collections/<slug:slug>/edit/", views.collection_edit, name="collection_edit"),
    path(
        "collections/<slug:slug>/items/add", views.collection_item_add, name="collection_item_add"
    ),
    path(
        "collections/<slug:slug>/items/<int:item_id>/remove",
        views.collection_item_remove,
        name="collection_item_remove",
    ),
    path(
        "collections/<slug:slug>/items/<int:item_id>/move",
        views.collection_item_move,
        name="collection_item_move",
    ),
    path("collections/<slug:slug>/publish", views.collection_publish, name="collection_publish"),
]
