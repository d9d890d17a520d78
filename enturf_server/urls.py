"""The project's URLs: the admin, the API (/api/v1/, each app brings its own routes) and
its schema. The project sits above every app, so only it lists them all."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from enturf_server.api import schema  # noqa: F401  (registers the schema extensions)

api_v1 = [
    path("", include("enturf_server.accounts.urls")),
    # before catalog: its `tickets/<pk>/` (ticket types) would otherwise catch `tickets/verify/`
    path("", include("enturf_server.ticketing.urls")),
    path("", include("enturf_server.checkins.urls")),
    path("", include("enturf_server.catalog.urls")),
    path("", include("enturf_server.sales.urls")),
    path("", include("enturf_server.billing.urls")),
    path("", include("enturf_server.invoicing.urls")),
    path("", include("enturf_server.shifts.urls")),
    path("", include("enturf_server.counters.urls")),
    path("", include("enturf_server.reports.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]

handler400 = "enturf_server.api.errors.handler400"
handler403 = "enturf_server.api.errors.handler403"
handler404 = "enturf_server.api.errors.handler404"
handler500 = "enturf_server.api.errors.handler500"
