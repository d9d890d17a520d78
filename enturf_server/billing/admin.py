"""Django admin for billing: read-only views of payments and refunds (they change only
through the services and the gateway), vouchers edited through the voucher services."""

from django.contrib import admin, messages

from enturf_server.api.errors import ServiceError
from enturf_server.billing.models import Payment, Refund, RefundPart, Voucher, WebhookEvent
from enturf_server.billing.services import vouchers


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "booking",
        "method",
        "channel",
        "amount",
        "currency",
        "state",
        "created_at",
    ]
    list_filter = ["method", "channel", "state"]
    search_fields = ["id", "booking__code", "payment_intent", "charge_id"]


class RefundPartInline(admin.TabularInline):
    model = RefundPart
    fields = ["payment", "amount", "gateway_refund_id"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["id", "booking", "amount", "currency", "method", "state", "created_at"]
    list_filter = ["method", "state"]
    search_fields = ["id", "booking__code"]
    inlines = [RefundPartInline]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "type", "received_at"]


@admin.register(Voucher)
class VoucherAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "percent", "amount", "currency", "max_uses", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code"]
    filter_horizontal = ["events", "tickets"]

    def save_model(self, request, obj, form, change):
        data = {name: getattr(obj, name) for name in form.changed_data if hasattr(obj, name)}
        try:
            if change:
                vouchers.update_voucher(actor=request.user, voucher=obj, data=data)
            else:
                fields = {f: getattr(obj, f) for f in vouchers.EDITABLE_FIELDS}
                saved = vouchers.create_voucher(actor=request.user, data=fields)
                obj.pk = saved.pk
        except ServiceError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)

    def delete_model(self, request, obj):
        vouchers.delete_voucher(actor=request.user, voucher=obj)
