from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("enturf_server.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]

handler400 = "enturf_server.api.errors.handler400"
handler403 = "enturf_server.api.errors.handler403"
handler404 = "enturf_server.api.errors.handler404"
handler500 = "enturf_server.api.errors.handler500"
