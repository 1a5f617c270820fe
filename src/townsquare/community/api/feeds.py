"""Community API: feeds."""

from .router import router  # noqa: F401
