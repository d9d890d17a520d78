from django.urls import path

from enturf_server.sales import views

urlpatterns = [
    path(
        "events/<int:event_id>/availability/",
        views.AvailabilityView.as_view(),
        name="event-availability",
    ),
    path("holds/", views.HoldListView.as_view(), name="hold-list"),
    path("holds/<uuid:hold_id>/", views.HoldDetailView.as_view(), name="hold-detail"),
    path("bookings/", views.BookingListView.as_view(), name="booking-list"),
    path("bookings/<uuid:booking_id>/", views.BookingDetailView.as_view(), name="booking-detail"),
    path(
        "bookings/<uuid:booking_id>/cancel/",
        views.BookingCancelView.as_view(),
        name="booking-cancel",
    ),
]
