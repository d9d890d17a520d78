from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.generics import RetrieveUpdateAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_server.accounts import services
from enturf_server.accounts.device_auth import device_from_request
from enturf_server.accounts.models import SiteSettings, User
from enturf_server.accounts.permissions import IsAdmin
from enturf_server.accounts.roles import Role
from enturf_server.accounts.serializers import (
    LoginInput,
    LoginOutput,
    RegisterInput,
    SiteSettingsSerializer,
    StaffCreateInput,
    StaffUpdateInput,
    UserSerializer,
)
from enturf_server.accounts.throttles import LoginThrottle, RegisterThrottle


def _login_response(token, key: str) -> dict:
    body = {"token": key, "expires_at": token.expires_at, "user": token.user}
    if token.device_id is not None:  # a counter's login: its device, with its duty
        device = token.device
        body["device"] = {"id": device.pk, "name": device.name, "duty": device.duty}
    return LoginOutput(body).data


class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [RegisterThrottle]

    @extend_schema(request=RegisterInput, responses={201: LoginOutput})
    def post(self, request):
        data = RegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.register_customer(**data.validated_data)
        token, key = services.login(
            username=user.username, password=data.validated_data["password"], request=request
        )
        return Response(_login_response(token, key), status=status.HTTP_201_CREATED)


class LoginView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [LoginThrottle]

    @extend_schema(request=LoginInput, responses={200: LoginOutput})
    def post(self, request):
        data = LoginInput(data=request.data)
        data.is_valid(raise_exception=True)
        device = device_from_request(request)  # a counter's login binds the token to it
        token, key = services.login(**data.validated_data, request=request, device=device)
        return Response(_login_response(token, key))


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.logout(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)


class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Staff management (admin only). Users are deactivated, never deleted: bookings point at them."""

    permission_classes = [IsAdmin]
    serializer_class = UserSerializer
    filterset_fields = ["role", "is_active"]

    def get_queryset(self):
        qs = User.objects.order_by("id")
        if search := self.request.query_params.get("search"):
            qs = qs.filter(
                Q(username__icontains=search)
                | Q(email__icontains=search)
                | Q(last_name__icontains=search)
            )
        return qs

    @extend_schema(request=StaffCreateInput, responses={201: UserSerializer})
    def create(self, request):
        data = StaffCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        role = Role(fields.pop("role"))
        user = services.create_user(**fields, role=role, actor=request.user)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StaffUpdateInput, responses=UserSerializer)
    def partial_update(self, request, pk=None):
        user = self.get_object()
        data = StaffUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        role = Role(fields.pop("role")) if "role" in fields else None
        user = services.update_user(user=user, actor=request.user, role=role, **fields)
        return Response(UserSerializer(user).data)


class SiteSettingsView(RetrieveUpdateAPIView):
    permission_classes = [IsAdmin]
    serializer_class = SiteSettingsSerializer
    http_method_names = ["get", "put", "patch", "head", "options"]

    def get_object(self):
        return SiteSettings.load()

    def perform_update(self, serializer):
        for name, value in serializer.validated_data.items():
            setattr(serializer.instance, name, value)
        services.save_site_settings(
            site=serializer.instance,
            actor=self.request.user,
            changed=list(serializer.validated_data),
        )
