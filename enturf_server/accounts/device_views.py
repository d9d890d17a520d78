"""Devices (counters): admins create, list and retire them; a counter registers itself."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_core.staff_rights import Right
from enturf_server.accounts import device_services
from enturf_server.accounts.device_serializers import (
    DeviceCreateInput,
    DeviceCreateOutput,
    DeviceOutput,
    DeviceRegisterInput,
    DeviceRegisterOutput,
    DeviceRenameInput,
)
from enturf_server.accounts.models import Device
from enturf_server.accounts.permissions import HasRight
from enturf_server.api.rate_limits import SharedRateThrottle


class DeviceRegisterThrottle(SharedRateThrottle):
    """Setup-code attempts per client address (codes are short enough to type)."""

    scope = "device_register"


class DeviceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Right `manage_staff`: create a device (returns its one-time setup code), list, rename or set its
    duty, counter or door (PATCH), retire (DELETE)."""

    permission_classes = [HasRight(Right.MANAGE_STAFF)]
    serializer_class = DeviceOutput
    queryset = Device.objects.order_by("id")
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @extend_schema(request=DeviceCreateInput, responses={201: DeviceCreateOutput})
    def create(self, request):
        data = DeviceCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        issued = device_services.create_device(actor=request.user, **data.validated_data)
        issued.device.setup_code = issued.setup_code
        return Response(DeviceCreateOutput(issued.device).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DeviceRenameInput, responses={200: DeviceOutput})
    def partial_update(self, request, pk=None):
        data = DeviceRenameInput(data=request.data)
        data.is_valid(raise_exception=True)
        device = self.get_object()
        if "name" in data.validated_data:
            device = device_services.rename_device(
                actor=request.user, device=device, name=data.validated_data["name"]
            )
        if "duty" in data.validated_data:
            device = device_services.set_device_duty(
                actor=request.user, device=device, duty=data.validated_data["duty"]
            )
        return Response(DeviceOutput(device).data)

    @extend_schema(request=None, responses={200: DeviceOutput})
    def destroy(self, request, pk=None):
        device = device_services.retire_device(actor=request.user, device=self.get_object())
        return Response(DeviceOutput(device).data)


class DeviceRegisterView(APIView):
    """A counter exchanges its one-time setup code for its device token."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [DeviceRegisterThrottle]

    @extend_schema(request=DeviceRegisterInput, responses={201: DeviceRegisterOutput})
    def post(self, request):
        data = DeviceRegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        reg = device_services.register_device(**data.validated_data)
        body = {
            "device_id": reg.device.pk,
            "name": reg.device.name,
            "device_token": reg.device_token,
            "signing_key_id": reg.device.signing_key_id,
            "duty": reg.device.duty,
            "gateway": reg.gateway,
        }
        return Response(DeviceRegisterOutput(body).data, status=status.HTTP_201_CREATED)
