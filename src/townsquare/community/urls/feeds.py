"""Feed pages: home, hashtags and search (the home feed is the community's root)."""

from django.urls import path

from ..views import feeds

urlpatterns = [
    path("", feeds.home, name="home"),
    path("tags/", feeds.hashtag_list, name="hashtag_list"),
    path("tags/<str:name>/", feeds.hashtag, name="hashtag"),
    path("search/", feeds.search, name="search"),
]
