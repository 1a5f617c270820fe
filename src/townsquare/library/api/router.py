"""The one router every library API module adds its operations to (see events' api/router.py
for why one router, not one per area)."""

from ninja import Router

router = Router(tags=["library"])
