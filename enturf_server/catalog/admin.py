"""Django admin for the catalog.

Venues, events and tickets are edited here through the same services as the API (so
edits are versioned, synced and audited). Seat maps are imported through the API
(`POST /api/v1/seatmaps/`); here they can be listed and inspected, not edited.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect

from enturf_server.api.admin_mixins import ReadOnlyAdminMixin
from enturf_server.api.errors import ServiceError
from enturf_server.catalog import services, uses
from enturf_server.catalog.models import Area, Event, Row, Seat, SeatMap, Section, Ticket, Venue


class ServiceSaveMixin:
    """Save and delete through the catalog services; a refusal shows as an error message."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as exc:  # rolled back by the view's transaction; say why
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.get_full_path())

    def _service_fields(self, form) -> dict:
        return {name: form.cleaned_data[name] for name in form.changed_data}

    def delete_model(self, request, obj):
        try:
            self.service_delete(actor=request.user, obj=obj)
        except ServiceError as exc:
            messages.error(request, exc.message)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class SeatMapInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SeatMap
    fields = ["name", "version", "width", "height", "created_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Venue)
class VenueAdmin(ServiceSaveMixin, admin.ModelAdmin):
    list_display = ["name", "timezone", "version", "updated_at"]
    search_fields = ["name", "address"]
    fields = ["name", "address", "timezone", "version", "created_at", "updated_at"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [SeatMapInline]

    def save_model(self, request, obj, form, change):
        data = self._service_fields(form)
        if change:
            saved = services.update_venue(actor=request.user, venue=obj, **data)
        else:
            saved = services.create_venue(actor=request.user, **data)
        obj.pk, obj.version = saved.pk, saved.version

    def service_delete(self, *, actor, obj):
        services.delete_venue(actor=actor, venue=obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.seat_maps.exists()


class SectionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Section
    fields = ["name", "position"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


class AreaInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Area
    fields = ["name", "capacity", "x", "y", "width", "height"]
    readonly_fields = fields
    extra = 0


@admin.register(SeatMap)
class SeatMapAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "venue", "version", "seat_total", "event_total", "created_at"]
    list_filter = ["venue"]
    search_fields = ["name", "venue__name"]
    inlines = [SectionInline, AreaInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("venue")
            .annotate(seat_total=Count("seats", distinct=True))
            .annotate(event_total=Count("events", distinct=True))
        )

    @admin.display(description="seats", ordering="seat_total")
    def seat_total(self, obj):
        return obj.seat_total

    @admin.display(description="events", ordering="event_total")
    def event_total(self, obj):
        return obj.event_total

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


class RowInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Row
    fields = ["label", "position"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Section)
class SectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "seat_map", "position"]
    list_filter = ["seat_map__venue"]
    search_fields = ["name", "seat_map__name"]
    list_select_related = ["seat_map__venue"]
    inlines = [RowInline]


class SeatInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Seat
    fk_name = "row"
    fields = [
        "key",
        "label",
        "x",
        "y",
        "category",
        "accessible",
        "companion",
        "obstructed",
        "aisle",
    ]
    readonly_fields = fields
    extra = 0


@admin.register(Row)
class RowAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "label", "position"]
    search_fields = ["label", "section__name"]
    list_select_related = ["section"]
    inlines = [SeatInline]


@admin.register(Seat)
class SeatAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["key", "label", "seat_map", "category", "accessible", "companion", "obstructed"]
    list_filter = ["category", "accessible", "companion", "obstructed", "aisle", "seat_map__venue"]
    search_fields = ["key", "label"]
    list_select_related = ["seat_map__venue"]
    show_full_result_count = False  # counting 100,000-seat maps on every page is wasted work


@admin.register(Area)
class AreaAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "seat_map", "capacity"]
    list_filter = ["seat_map__venue"]
    search_fields = ["name"]
    list_select_related = ["seat_map__venue"]


class TicketInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Ticket
    fields = ["name", "price", "currency", "tax_rate", "category", "area", "active", "version"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Event)
class EventAdmin(ServiceSaveMixin, admin.ModelAdmin):
    list_display = ["name", "starts_at", "state", "venue_name", "seat_map", "version"]
    list_filter = ["state", "seat_map__venue"]
    search_fields = ["name"]
    date_hierarchy = "starts_at"
    list_select_related = ["seat_map__venue"]
    readonly_fields = ["version", "inventory_version", "created_at", "updated_at"]
    inlines = [TicketInline]

    @admin.display(description="venue", ordering="seat_map__venue__name")
    def venue_name(self, obj):
        return obj.seat_map.venue.name

    def get_readonly_fields(self, request, obj=None):
        # the seat map is chosen once: inventory rows are made from it
        return [*self.readonly_fields, "seat_map"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = self._service_fields(form)
        if change:
            saved = services.update_event(actor=request.user, event=obj, **data)
        else:
            fields = dict(form.cleaned_data)
            for name in ("version", "inventory_version"):
                fields.pop(name, None)
            saved = services.create_event(actor=request.user, **fields)
        obj.pk, obj.version = saved.pk, saved.version

    def service_delete(self, *, actor, obj):
        services.delete_event(actor=actor, event=obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not uses.may_delete_event(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Ticket)
class TicketAdmin(ServiceSaveMixin, admin.ModelAdmin):
    list_display = ["name", "event", "price", "currency", "tax_rate", "category", "area", "active"]
    list_filter = ["active", "event__state"]
    search_fields = ["name", "event__name"]
    list_select_related = ["event", "area"]
    readonly_fields = ["version", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "event"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            saved = services.update_ticket(
                actor=request.user, ticket=obj, **self._service_fields(form)
            )
        else:
            fields = dict(form.cleaned_data)
            fields.pop("version", None)
            saved = services.create_ticket(actor=request.user, **fields)
        obj.pk, obj.version = saved.pk, saved.version

    def service_delete(self, *, actor, obj):
        services.delete_ticket(actor=actor, ticket=obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not uses.may_delete_ticket(obj):
            return False
        return super().has_delete_permission(request, obj)
