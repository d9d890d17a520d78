"""Billing API: vouchers, counter and online payments, webhooks, refunds.
Thin: input serializer -> service -> output serializer."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_core.staff_rights import Right
from enturf_server.accounts.permissions import HasRight, IsStaff
from enturf_server.api.errors import Forbidden, NotFound
from enturf_server.api.inputs import validated
from enturf_server.api.pagination import DefaultPagination
from enturf_server.billing import selectors
from enturf_server.billing.models import Voucher
from enturf_server.billing.serializers import (
    CounterPaymentInput,
    OnlinePaymentOutput,
    PaymentOutput,
    PaymentResultOutput,
    RefundInput,
    RefundListQuery,
    RefundOutput,
    VoucherInput,
    VoucherOutput,
)
from enturf_server.billing.services import payments, refunds, vouchers, webhooks
from enturf_server.catalog.models import Event, Ticket
from enturf_server.sales.selectors import booking_for, effective_state


def _device(request):
    return getattr(request, "device", None)


# -- vouchers ----------------------------------------------------------------------------------


def _relations(data: dict) -> tuple[list | None, list | None]:
    def load(model, ids, what):
        if ids is None:
            return None
        found = list(model.objects.filter(pk__in=ids))
        missing = sorted(set(ids) - {obj.pk for obj in found})
        if missing:
            raise NotFound(f"There is no {what} {missing[0]}.", details={what + "s": missing})
        return found

    return load(Event, data.pop("events", None), "event"), load(
        Ticket, data.pop("tickets", None), "ticket"
    )


SELLER = HasRight(Right.SELL)


class VoucherListView(APIView):
    permission_classes = [HasRight(Right.MANAGE_VOUCHERS)]
    pagination_class = DefaultPagination  # the schema shows the page, not a bare list

    @extend_schema(responses=VoucherOutput(many=True))
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.vouchers(), request, view=self)
        return paginator.get_paginated_response(VoucherOutput(page, many=True).data)

    @extend_schema(request=VoucherInput, responses={201: VoucherOutput})
    def post(self, request):
        data = dict(validated(VoucherInput, request.data))
        events, tickets = _relations(data)
        voucher = vouchers.create_voucher(
            actor=request.user, data=data, events=events or (), tickets=tickets or ()
        )
        return Response(VoucherOutput(voucher).data, status=status.HTTP_201_CREATED)


class VoucherDetailView(APIView):
    permission_classes = [HasRight(Right.MANAGE_VOUCHERS)]

    def _voucher(self, voucher_id: int) -> Voucher:
        voucher = selectors.vouchers().filter(pk=voucher_id).first()
        if voucher is None:
            raise NotFound("There is no such voucher.")
        return voucher

    @extend_schema(responses=VoucherOutput)
    def get(self, request, voucher_id: int):
        return Response(VoucherOutput(self._voucher(voucher_id)).data)

    @extend_schema(request=VoucherInput, responses=VoucherOutput)
    def patch(self, request, voucher_id: int):
        voucher = self._voucher(voucher_id)
        data = dict(validated(VoucherInput, request.data, partial=True))
        events, tickets = _relations(data)
        voucher = vouchers.update_voucher(
            actor=request.user, voucher=voucher, data=data, events=events, tickets=tickets
        )
        return Response(VoucherOutput(selectors.vouchers().get(pk=voucher.pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, voucher_id: int):
        vouchers.delete_voucher(actor=request.user, voucher=self._voucher(voucher_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


# -- payments ----------------------------------------------------------------------------------


def _result(outcome: payments.PaymentOutcome) -> dict:
    return PaymentResultOutput(
        {
            "payment": outcome.payment,
            "state": effective_state(outcome.booking),
            "balance": outcome.balance,
        }
    ).data


class BookingPaymentsView(APIView):
    """Staff who sell take counter payments; the booking's owner and staff list its payments."""

    def get_permissions(self):
        return [SELLER()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(responses=PaymentOutput(many=True))
    def get(self, request, booking_id):
        booking = booking_for(user=request.user, booking_id=booking_id)
        return Response(PaymentOutput(selectors.payments_of(booking=booking), many=True).data)

    @extend_schema(
        request=CounterPaymentInput,
        responses={201: PaymentResultOutput, 200: PaymentResultOutput},
    )
    def post(self, request, booking_id):
        data = validated(CounterPaymentInput, request.data)
        booking = booking_for(user=request.user, booking_id=booking_id)
        outcome = payments.take_counter_payment(
            actor=request.user,
            booking=booking,
            payment_id=data["id"],
            method=data["method"],
            amount=data["amount"],
            currency=data["currency"],
            payment_intent=data.get("payment_intent") or None,
            device=_device(request),
        )
        return Response(
            _result(outcome), status=status.HTTP_201_CREATED if outcome.created else 200
        )


class BookingPayView(APIView):
    """The booking's owner starts paying online: a PaymentIntent to confirm with the card."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=OnlinePaymentOutput)
    def post(self, request, booking_id):
        booking = booking_for(user=request.user, booking_id=booking_id)
        if booking.owner_id != request.user.pk:
            raise Forbidden(
                "Only the customer who made this booking pays it online.", code="not_your_booking"
            )
        started = payments.start_online_payment(actor=request.user, booking=booking)
        payment = started.payment
        booking.refresh_from_db()
        return Response(
            OnlinePaymentOutput(
                {
                    "payment": payment.pk,
                    "payment_intent": payment.payment_intent,
                    "client_secret": started.client_secret,
                    "amount": payment.amount,
                    "currency": payment.currency,
                    "expires_at": booking.expires_at,
                }
            ).data
        )


class BookingPayRefreshView(APIView):
    """Ask the gateway about the online payment now (when the webhook has not come)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=PaymentResultOutput)
    def post(self, request, booking_id):
        booking = booking_for(user=request.user, booking_id=booking_id)
        outcome = payments.refresh_online_payment(actor=request.user, booking=booking)
        return Response(_result(outcome))


class GatewayWebhookView(APIView):
    """Signed events from the card gateway; anonymous, checked by signature."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=None, responses={200: dict})
    def post(self, request):
        result = webhooks.handle_webhook(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
        return Response({"received": True, **result})


# -- refunds -----------------------------------------------------------------------------------


class RefundListView(APIView):
    pagination_class = DefaultPagination  # the schema shows the page, not a bare list

    def get_permissions(self):
        return [IsStaff()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(
        parameters=[OpenApiParameter("booking", str, description="only this booking's")],
        responses=RefundOutput(many=True),
    )
    def get(self, request):
        query = validated(RefundListQuery, request.query_params)
        items = selectors.refunds_for(user=request.user, booking_id=query.get("booking"))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(items, request, view=self)
        return paginator.get_paginated_response(RefundOutput(page, many=True).data)

    @extend_schema(request=RefundInput, responses={201: RefundOutput, 200: RefundOutput})
    def post(self, request):
        data = validated(RefundInput, request.data)
        booking = booking_for(user=request.user, booking_id=data["booking"])
        refund, created = refunds.create_refund(
            actor=request.user,
            booking=booking,
            line_ids=data.get("lines"),
            reason=data["reason"],
            refund_id=data.get("id"),
            device=_device(request),
            approval=data.get("approval"),
        )
        return Response(RefundOutput(refund).data, status=201 if created else 200)


class RefundDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=RefundOutput)
    def get(self, request, refund_id):
        refund = selectors.refunds_for(user=request.user).filter(pk=refund_id).first()
        if refund is None:
            raise NotFound("There is no such refund.")
        return Response(RefundOutput(refund).data)
