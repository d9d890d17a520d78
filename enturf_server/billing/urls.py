from django.urls import path

from enturf_server.billing import views
from enturf_server.billing.voucher_check import VoucherCheckView

urlpatterns = [
    path("vouchers/", views.VoucherListView.as_view(), name="voucher-list"),
    path("vouchers/check/", VoucherCheckView.as_view(), name="voucher-check"),
    path("vouchers/bulk/", views.VoucherBulkView.as_view(), name="voucher-bulk"),
    path("vouchers/export/", views.VoucherExportView.as_view(), name="voucher-export"),
    path(
        "vouchers/<int:voucher_id>/redemptions/",
        views.VoucherRedemptionsView.as_view(),
        name="voucher-redemptions",
    ),
    path("vouchers/<int:voucher_id>/", views.VoucherDetailView.as_view(), name="voucher-detail"),
    path(
        "bookings/<uuid:booking_id>/payments/",
        views.BookingPaymentsView.as_view(),
        name="booking-payments",
    ),
    path("bookings/<uuid:booking_id>/pay/", views.BookingPayView.as_view(), name="booking-pay"),
    path(
        "bookings/<uuid:booking_id>/pay/refresh/",
        views.BookingPayRefreshView.as_view(),
        name="booking-pay-refresh",
    ),
    path("webhooks/gateway/", views.GatewayWebhookView.as_view(), name="gateway-webhook"),
    path("refunds/", views.RefundListView.as_view(), name="refund-list"),
    path("refunds/<uuid:refund_id>/", views.RefundDetailView.as_view(), name="refund-detail"),
]
