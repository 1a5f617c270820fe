"""Academy pages, assembled from one module per area so each stays small."""

from __future__ import annotations

from . import authoring, catalog, credentials, credit, learning, programs, reports

app_name = "academy"

urlpatterns = [
    *catalog.urlpatterns,
    *authoring.urlpatterns,
    *learning.urlpatterns,
    *programs.urlpatterns,
    *credentials.urlpatterns,
    *credit.urlpatterns,
    *reports.urlpatterns,
]
