from django.urls import path

from enturf_server.reports import views

urlpatterns = [
    path("reports/sales/", views.SalesReportView.as_view(), name="report-sales"),
]
