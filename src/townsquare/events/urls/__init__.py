"""Event pages, assembled from one module per area so each stays small.

Paths with a fixed start (``manage/``, ``registrations/``, ``feed.ics``) are tried before the
``<slug>`` ones, so an event slug can never hide a page; ``services.events.RESERVED_SLUGS`` keeps
events from taking those names."""

from __future__ import annotations

from . import after, organizer, proposals, public, registration

app_name = "events"

_all = [
    *public.urlpatterns,
    *registration.urlpatterns,
    *organizer.urlpatterns,
    *after.urlpatterns,
    *proposals.urlpatterns,
]
urlpatterns = sorted(_all, key=lambda pattern: "<" in str(pattern.pattern))
