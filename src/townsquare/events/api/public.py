"""Events API: public."""

from ninja import Router

router = Router()
