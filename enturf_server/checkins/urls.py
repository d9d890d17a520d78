from django.urls import path

from enturf_server.checkins import views

urlpatterns = [
    path("checkins/", views.ScanView.as_view(), name="checkin-scan"),
    path(
        "events/<int:event_id>/checkin-lists/",
        views.CheckinListsView.as_view(),
        name="checkin-lists",
    ),
    path(
        "events/<int:event_id>/checkin-lists/<int:list_id>/",
        views.CheckinListView.as_view(),
        name="checkin-list",
    ),
    path(
        "events/<int:event_id>/checkin-stats/",
        views.CheckinStatsView.as_view(),
        name="checkin-stats",
    ),
]
