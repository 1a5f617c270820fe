"""The site's URLs plus the single sign-on page, for as long as ``config/urls.py`` lacks it."""

from django.urls import include, path

from townsquare.config import urls as site_urls

urlpatterns = [
    path("accounts/", include("townsquare.accounts.sso_urls")),
    *site_urls.urlpatterns,
]

handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500
