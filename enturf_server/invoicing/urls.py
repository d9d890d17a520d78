from django.urls import path

from enturf_server.invoicing import views

urlpatterns = [
    path("invoices/", views.InvoiceListView.as_view(), name="invoice-list"),
    path("invoices/<int:invoice_id>/", views.InvoiceDetailView.as_view(), name="invoice-detail"),
    path("invoices/<int:invoice_id>/pdf/", views.InvoicePdfView.as_view(), name="invoice-pdf"),
]
