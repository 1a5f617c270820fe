"""The events API at /api/v1/events/: each area module adds its operations to one router."""

from . import after, organizer, public, registration  # noqa: F401  (order: public paths first)
from .router import router

__all__ = ["router"]
