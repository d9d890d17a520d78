"""`POST /api/v1/vouchers/check/` (staff): may this code be used for these tickets now?

A counter prices its cart with the voucher's terms before the sale (the sale itself
reaches the server later, as a `counter_sale` push). Nothing is redeemed here: the
voucher row is locked only for the check, through the same `redeem_voucher` the
booking transaction uses.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_core.staff_rights import Right
from enturf_server.accounts.permissions import HasRight
from enturf_server.api.errors import NotFound, ServiceError
from enturf_server.api.inputs import id_field, validated
from enturf_server.billing.services.vouchers import redeem_voucher
from enturf_server.catalog.models import Event, Ticket


class VoucherCheckInput(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    event = id_field()
    tickets = serializers.ListField(child=id_field(), min_length=1, max_length=100)


class VoucherCheckView(APIView):
    permission_classes = [HasRight(Right.DISCOUNT)]

    @extend_schema(
        request=VoucherCheckInput,
        responses=inline_serializer(
            "VoucherCheckOutput", {"voucher": serializers.DictField(help_text="pricing terms")}
        ),
        summary="Check a voucher code for a counter's cart (nothing is redeemed)",
    )
    def post(self, request):
        data = validated(VoucherCheckInput, request.data)
        event = Event.objects.filter(pk=data["event"]).first()
        if event is None:
            raise NotFound(f"There is no event {data['event']}.")
        tickets = list(Ticket.objects.filter(event=event, pk__in=data["tickets"]))
        if not tickets:
            raise ServiceError("None of these tickets belongs to the event.", code="unknown_ticket")
        with transaction.atomic():
            use = redeem_voucher(
                code=data["code"],
                event=event,
                tickets=tickets,
                currency=tickets[0].currency,
                now=timezone.now(),
            )
        return Response({"voucher": use.pricing.to_dict()})
