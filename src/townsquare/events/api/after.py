"""Events API: after."""

from ninja import Router

router = Router()
