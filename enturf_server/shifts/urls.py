from django.urls import path

from enturf_server.shifts import views

urlpatterns = [
    path("shifts/", views.ShiftListView.as_view(), name="shift-list"),
    path("shifts/<uuid:shift_id>/", views.ShiftDetailView.as_view(), name="shift-detail"),
    path(
        "shifts/<uuid:shift_id>/approve/",
        views.ShiftApproveView.as_view(),
        name="shift-approve",
    ),
    path(
        "shifts/<uuid:shift_id>/z-report.pdf", views.ZReportPdfView.as_view(), name="shift-z-report"
    ),
]
