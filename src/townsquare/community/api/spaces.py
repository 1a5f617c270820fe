"""Community API: spaces."""

from .router import router  # noqa: F401
