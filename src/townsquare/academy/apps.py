from django.apps import AppConfig


class AcademyConfig(AppConfig):
    name = "townsquare.academy"
    label = "academy"
    verbose_name = "Academy"

    def ready(self) -> None:
        from . import search  # noqa: F401  (registers the course search source)
