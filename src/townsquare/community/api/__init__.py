from . import feeds, moderation, people, posts, spaces  # noqa: F401  (register the operations)
from .router import router

__all__ = ["router"]
