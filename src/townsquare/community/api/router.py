"""The community's one API router: each area module decorates it (so GET and POST on one path
share a URL pattern)."""

from ninja import Router

router = Router(tags=["community"])
