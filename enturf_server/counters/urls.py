"""The counters' routes: the sync feed and push, the counter version, allocations, the review of counter sales."""

from django.urls import path

from enturf_server.counters import allocation_views, review_views, sync_views, version_views

urlpatterns = [
    path("sync/changes/", sync_views.ChangesView.as_view(), name="sync-changes"),
    path("sync/push/", sync_views.PushView.as_view(), name="sync-push"),
    path("counter-version/", version_views.CounterVersionView.as_view(), name="counter-version"),
    path(
        "events/<int:event_id>/allocations/",
        allocation_views.AllocationListView.as_view(),
        name="event-allocations",
    ),
    path(
        "events/<int:event_id>/allocations/<int:allocation_id>/",
        allocation_views.AllocationDetailView.as_view(),
        name="event-allocation-detail",
    ),
    path(
        "bookings/<uuid:booking_id>/review/",
        review_views.BookingReviewView.as_view(),
        name="booking-review",
    ),
    path("sales-review/", review_views.SaleReviewListView.as_view(), name="sales-review"),
]
