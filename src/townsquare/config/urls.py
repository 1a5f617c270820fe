from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from townsquare.academy.views import credentials as academy_credentials
from townsquare.accounts import views as account_views
from townsquare.core import views as core_views

from .api import api

admin.site.site_header = "Townsquare back office"
admin.site.site_title = "Townsquare"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("dashboard/", account_views.dashboard, name="dashboard"),
    path("healthz", core_views.health, name="health"),
    path("accounts/", include("townsquare.accounts.sso_urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("townsquare.accounts.urls")),
    path("academy/", include("townsquare.academy.urls")),
    path("events/", include("townsquare.events.urls")),
    path("community/", include("townsquare.community.urls")),
    path("library/", include("townsquare.library.urls")),
    path("notifications/", include("townsquare.notifications.urls")),
    path("verify/<str:code>", academy_credentials.verify, name="verify"),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

handler400 = "townsquare.core.views.bad_request"
handler403 = "townsquare.core.views.permission_denied"
handler404 = "townsquare.core.views.page_not_found"
handler500 = "townsquare.core.views.server_error"
