from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "townsquare.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        from . import search  # noqa: F401  (registers the event search source)
