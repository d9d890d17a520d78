"""Query filters of the voucher list and its CSV export (django-filter; bad values 400)."""

from __future__ import annotations

import django_filters

from enturf_server.billing.models import Voucher, VoucherKind


class VoucherFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(lookup_expr="icontains", help_text="part of the code")
    batch = django_filters.CharFilter(help_text="the batch tag of a bulk creation")
    event = django_filters.NumberFilter(
        field_name="events", distinct=True, help_text="vouchers limited to this event"
    )
    kind = django_filters.ChoiceFilter(choices=VoucherKind.choices)
    active = django_filters.BooleanFilter()

    class Meta:
        model = Voucher
        fields = ["code", "batch", "event", "kind", "active"]
