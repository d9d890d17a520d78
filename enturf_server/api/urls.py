"""/api/v1/: each app brings its own routes."""

from django.urls import include, path

from enturf_server.api import schema  # noqa: F401  (registers the schema extensions)

urlpatterns = [
    path("", include("enturf_server.accounts.urls")),
    # before catalog: its `tickets/<pk>/` (ticket types) would otherwise catch `tickets/verify/`
    path("", include("enturf_server.ticketing.urls")),
    path("", include("enturf_server.catalog.urls")),
    path("", include("enturf_server.sales.urls")),
    path("", include("enturf_server.billing.urls")),
    path("", include("enturf_server.invoicing.urls")),
    path("", include("enturf_server.counters.urls")),
    path("", include("enturf_server.shifts.urls")),
]
