from django.urls import path

from enturf_server.sales import block_views, views

urlpatterns = [
    path(
        "events/<int:event_id>/availability/",
        views.AvailabilityView.as_view(),
        name="event-availability",
    ),
    path("events/<int:event_id>/blocks/", block_views.BlockListView.as_view(), name="event-blocks"),
    path(
        "events/<int:event_id>/blocks/release/",
        block_views.BlockReleaseView.as_view(),
        name="event-blocks-release",
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
