from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "townsquare.library"
    label = "library"
    verbose_name = "Library"

    def ready(self) -> None:
        from . import search  # noqa: F401  (registers the library search sources)
