"""Events API: organizer."""

from ninja import Router

router = Router()
