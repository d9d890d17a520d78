from rest_framework.routers import SimpleRouter

from enturf_server.catalog import views

router = SimpleRouter()
router.register("venues", views.VenueViewSet, basename="venue")
router.register("seatmaps", views.SeatMapViewSet, basename="seatmap")
router.register("events", views.EventViewSet, basename="event")
router.register("tickets", views.TicketViewSet, basename="ticket")

urlpatterns = router.urls
