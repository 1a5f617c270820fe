"""Community pages, mounted at /community/. Each area keeps its own patterns; fixed-prefix paths
come first so that no slug can shadow them."""

from . import feeds, moderation, people, posts, spaces

app_name = "community"

urlpatterns = [
    *feeds.urlpatterns,
    *spaces.urlpatterns,
    *posts.urlpatterns,
    *moderation.urlpatterns,
    *people.urlpatterns,
]
