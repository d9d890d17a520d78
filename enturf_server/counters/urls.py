from django.urls import path

from enturf_server.sync import views

urlpatterns = [
    path("sync/changes/", views.ChangesView.as_view(), name="sync-changes"),
    path("sync/push/", views.PushView.as_view(), name="sync-push"),
]
