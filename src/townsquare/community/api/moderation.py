"""Community API: moderation."""

from .router import router  # noqa: F401
