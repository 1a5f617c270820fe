"""Community API: people."""

from .router import router  # noqa: F401
