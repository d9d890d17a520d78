from django.db.models import Q
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import RetrieveUpdateAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_core.staff_rights import Right, StaffRole
from enturf_server.accounts import role_grants, services
from enturf_server.accounts.device_auth import device_from_request
from enturf_server.accounts.models import SiteSettings, User
from enturf_server.accounts.permissions import HasRight, IsAdmin
from enturf_server.accounts.rights import has_right, staff_role_of
from enturf_server.accounts.roles import Role
from enturf_server.accounts.serializers import (
    LoginInput,
    LoginOutput,
    PasswordResetInput,
    RegisterInput,
    RoleGrantInput,
    RoleGrantOutput,
    SessionUserSerializer,
    SiteSettingsSerializer,
    StaffCreateInput,
    StaffUpdateInput,
    UserSerializer,
)
from enturf_server.accounts.throttles import LoginThrottle, RegisterThrottle
from enturf_server.api.errors import Forbidden
from enturf_server.api.inputs import validated

CONFLICT = OpenApiResponse(
    description="refused: `cannot_change_self`, `last_admin`, `role_locked` (error shape)"
)


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

    @extend_schema(responses=SessionUserSerializer)
    def get(self, request):
        return Response(SessionUserSerializer(request.user).data)


class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Staff management (right `manage_staff`). Users are deactivated, never deleted:
    bookings point at them. See docs/staff-and-rights.md."""

    permission_classes = [HasRight(Right.MANAGE_STAFF)]
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

    @extend_schema(request=None, responses={200: UserSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Deactivate: ends the user's sessions and approval keys (counters drop them)."""
        user = services.deactivate_user(user=self.get_object(), actor=request.user)
        return Response(UserSerializer(user).data)

    @extend_schema(request=None, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        user = services.reactivate_user(user=self.get_object(), actor=request.user)
        return Response(UserSerializer(user).data)

    @extend_schema(request=PasswordResetInput, responses={204: None})
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request, pk=None):
        """Set a new password: the user's sessions end and approval keys are revoked."""
        data = validated(PasswordResetInput, request.data)
        services.reset_password(
            user=self.get_object(), actor=request.user, password=data["password"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoleGrantViewSet(viewsets.ViewSet):
    """Each staff role's rights (docs/staff-and-rights.md): staff read their own role's,
    `manage_staff` reads all and changes them (PUT; the admin role is locked)."""

    permission_classes = [HasRight(Right.MANAGE_STAFF, read=True)]
    lookup_field = "role"
    lookup_value_regex = "[a-z_]{1,32}"

    def _visible(self, request, role: StaffRole) -> None:
        if not has_right(request.user, Right.MANAGE_STAFF) and staff_role_of(request.user) != role:
            raise Forbidden("You may read only your own role's rights.", code="permission_denied")

    @extend_schema(responses=RoleGrantOutput(many=True))
    def list(self, request):
        rows = role_grants.grant_rows()
        if not has_right(request.user, Right.MANAGE_STAFF):
            mine = staff_role_of(request.user)
            rows = [r for r in rows if r.role == getattr(mine, "value", None)]
        return Response(RoleGrantOutput(rows, many=True).data)

    @extend_schema(responses=RoleGrantOutput)
    def retrieve(self, request, role=None):
        staff = role_grants.staff_role(role)
        self._visible(request, staff)
        return Response(RoleGrantOutput(role_grants.grant_row(staff)).data)

    @extend_schema(request=RoleGrantInput, responses={200: RoleGrantOutput, 409: CONFLICT})
    def update(self, request, role=None):
        staff = role_grants.staff_role(role)
        data = validated(RoleGrantInput, request.data)
        row = role_grants.set_grant(
            role=staff,
            rights=data["rights"],
            refund_limit_cents=data["refund_limit_cents"],
            actor=request.user,
        )
        return Response(RoleGrantOutput(row).data)


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
