"""Community API: posts."""

from .router import router  # noqa: F401
