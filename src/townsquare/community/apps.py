from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "townsquare.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from . import (
            feed_cache,
            search,  # noqa: F401  (registers the post and comment search sources)
        )

        feed_cache.connect()
