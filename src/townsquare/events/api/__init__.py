"""The events API at /api/v1/events/, assembled from one router per area."""

from ninja import Router

from . import after, organizer, public, registration

router = Router(tags=["events"])
router.add_router("", public.router)
router.add_router("", registration.router)
router.add_router("", organizer.router)
router.add_router("", after.router)
