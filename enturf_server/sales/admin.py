"""Read-only views of sales for admins; changes go through the services (cancel action)."""

from django.contrib import admin, messages

from enturf_core.wording import plural
from enturf_server.api.errors import ServiceError
from enturf_server.sales import services
from enturf_server.sales.models import Booking, BookingLine, Hold, SeatInventory


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BookingLineInline(admin.TabularInline):
    model = BookingLine
    fields = ["ticket", "seat", "area", "price", "tax_amount", "state"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["code", "event", "state", "channel", "buyer_name", "total", "created_at"]
    list_filter = ["state", "channel"]
    search_fields = ["code", "buyer_name", "buyer_email"]
    list_select_related = ["event"]
    inlines = [BookingLineInline]
    actions = ["cancel_pending"]

    @admin.action(description="Cancel the selected pending bookings")
    def cancel_pending(self, request, queryset):
        done = 0
        for booking in queryset:
            try:
                services.cancel_booking(actor=request.user, booking=booking)
                done += 1
            except ServiceError as exc:
                self.message_user(request, f"{booking.code}: {exc.message}", messages.WARNING)
        self.message_user(request, f"Cancelled {plural(done, 'booking')}.")


@admin.register(Hold)
class HoldAdmin(ReadOnlyAdmin):
    list_display = ["id", "event", "owner", "created_at", "expires_at", "released_at"]
    list_select_related = ["event", "owner"]


@admin.register(SeatInventory)
class SeatInventoryAdmin(ReadOnlyAdmin):
    list_display = [
        "event",
        "seat",
        "status",
        "block_reason",
        "held_until",
        "booking",
        "allocated_to",
        "version",
    ]
    list_filter = ["status", "block_reason"]
    list_select_related = ["event", "seat"]
    raw_id_fields = ["hold", "booking"]
