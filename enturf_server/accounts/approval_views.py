"""`POST /api/v1/auth/approval-keys/`: an admin registers their approval key for the
counter their session is bound to (see accounts.approvals)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_server.accounts import approvals
from enturf_server.accounts.device_auth import device_of
from enturf_server.api.inputs import validated


class ApprovalKeyInput(serializers.Serializer):
    public_key = serializers.CharField(max_length=64)


class ApprovalKeyOutput(serializers.Serializer):
    key_id = serializers.CharField()
    device = serializers.IntegerField(source="device_id")
    user = serializers.IntegerField(source="user_id")
    created_at = serializers.DateTimeField()


class ApprovalKeyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ApprovalKeyInput, responses={201: ApprovalKeyOutput})
    def post(self, request):
        data = validated(ApprovalKeyInput, request.data)
        key = approvals.register_key(
            user=request.user,
            device=device_of(request),
            token=request.auth,
            public_key=data["public_key"],
        )
        return Response(ApprovalKeyOutput(key).data, status=status.HTTP_201_CREATED)
