"""Query filters of the audit list and its CSV export (django-filter; bad values answer 400)."""

from __future__ import annotations

import django_filters

from enturf_server.audit.models import AuditEntry


class AuditFilter(django_filters.FilterSet):
    actor = django_filters.NumberFilter(field_name="actor_id", help_text="the actor's user id")
    actor_name = django_filters.CharFilter(
        lookup_expr="icontains", help_text="part of the actor's username"
    )
    action = django_filters.CharFilter(help_text="exact action, e.g. `refund.create`")
    action_prefix = django_filters.CharFilter(
        field_name="action", lookup_expr="startswith", help_text="e.g. `cash.` or `refund.`"
    )
    device = django_filters.NumberFilter(field_name="device_id", help_text="counter device id")
    device_name = django_filters.CharFilter(
        lookup_expr="icontains", help_text="part of the counter's name"
    )
    object_type = django_filters.CharFilter(help_text="e.g. `sales.booking`")
    object_id = django_filters.CharFilter()
    since = django_filters.IsoDateTimeFilter(
        field_name="at", lookup_expr="gte", help_text="ISO date-time; at or after"
    )
    until = django_filters.IsoDateTimeFilter(
        field_name="at", lookup_expr="lt", help_text="ISO date-time; before"
    )

    class Meta:
        model = AuditEntry
        fields = [
            "actor",
            "actor_name",
            "action",
            "action_prefix",
            "device",
            "device_name",
            "object_type",
            "object_id",
            "since",
            "until",
        ]
