"""Events API: registration."""

from ninja import Router

router = Router()
