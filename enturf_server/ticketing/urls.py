from django.urls import path

from enturf_server.ticketing import views

urlpatterns = [
    path("ticket-keys/", views.TicketKeysView.as_view(), name="ticket-keys"),
    path("tickets/verify/", views.VerifyTicketView.as_view(), name="ticket-verify"),
    # under bookings/, owned here: the print-at-home tickets of one booking
    path(
        "bookings/<uuid:booking_id>/tickets.pdf",
        views.BookingTicketsPdfView.as_view(),
        name="booking-tickets-pdf",
    ),
    path(
        "bookings/<uuid:booking_id>/tickets/reprint/",
        views.BookingTicketsReprintView.as_view(),
        name="booking-tickets-reprint",
    ),
]
