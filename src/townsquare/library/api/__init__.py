"""The library API at /api/v1/library/: each area module adds its operations to one router."""

from . import access, catalog, policies, search, submissions  # noqa: F401  (order: fixed paths first)
from .router import router

__all__ = ["router"]
