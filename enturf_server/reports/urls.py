from django.urls import path

from enturf_server.reports import views

urlpatterns = [
    path("reports/sales/", views.SalesReportView.as_view(), name="report-sales"),
    path("reports/occupancy/", views.OccupancyReportView.as_view(), name="report-occupancy"),
    path(
        "reports/sales-over-time/", views.SalesOverTimeView.as_view(), name="report-sales-over-time"
    ),
    path("reports/accounting/", views.AccountingExportView.as_view(), name="report-accounting"),
]
