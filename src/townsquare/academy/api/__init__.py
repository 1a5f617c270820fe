"""The academy API at /api/v1/academy/, assembled from one router per area."""

from ninja import Router

from . import catalog, credentials, credit, learning, programs

router = Router(tags=["academy"])
router.add_router("", catalog.router)
router.add_router("", learning.router)
router.add_router("", programs.router)
router.add_router("", credentials.router)
router.add_router("", credit.router)
