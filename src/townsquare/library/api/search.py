"""Library API: search (built by its section; see docs/library-parts/CONTRACT.md)."""

from .router import router  # noqa: F401
