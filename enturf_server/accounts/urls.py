from django.urls import path
from rest_framework.routers import SimpleRouter

from enturf_server.accounts import approval_views, device_views, views

router = SimpleRouter()
router.register("users", views.UserViewSet, basename="user")
router.register("devices", device_views.DeviceViewSet, basename="device")
router.register("roles", views.RoleGrantViewSet, basename="role")

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="auth-register"),
    path("auth/login/", views.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("auth/me/", views.MeView.as_view(), name="auth-me"),
    path(
        "auth/approval-keys/",
        approval_views.ApprovalKeyView.as_view(),
        name="auth-approval-keys",
    ),
    path("settings/", views.SiteSettingsView.as_view(), name="settings"),
    # before the router, whose `devices/<pk>/` would match "register"
    path("devices/register/", device_views.DeviceRegisterView.as_view(), name="device-register"),
    *router.urls,
]
