"""Library pages, assembled from one module per area so each stays small.

Paths with a fixed start (``search/``, ``collections/``, ``submissions/``, ``review/``,
``policies/``, ``manage/``) are tried before the ``<slug>`` ones; ``services.resources
.RESERVED_SLUGS`` keeps resources from taking those names."""

from __future__ import annotations

from . import access, catalog, collections, manage, policies, review, search, submissions

app_name = "library"

_all = [
    *catalog.urlpatterns,
    *search.urlpatterns,
    *manage.urlpatterns,
    *collections.urlpatterns,
    *submissions.urlpatterns,
    *review.urlpatterns,
    *access.urlpatterns,
    *policies.urlpatterns,
]
urlpatterns = sorted(_all, key=lambda pattern: "<" in str(pattern.pattern))
