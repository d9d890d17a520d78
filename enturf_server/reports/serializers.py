"""The reports' output shapes, for the OpenAPI schema (docs/reports.md has the meaning)."""

from __future__ import annotations

from rest_framework import serializers


class SalesFiguresOutput(serializers.Serializer):
    tickets = serializers.IntegerField()
    refunded_tickets = serializers.IntegerField()
    gross_cents = serializers.IntegerField()
    tax_cents = serializers.IntegerField()
    net_cents = serializers.IntegerField()
    refunds_cents = serializers.IntegerField()


class SalesRowOutput(SalesFiguresOutput):
    key = serializers.CharField()
    label = serializers.CharField()


class SalesReportOutput(serializers.Serializer):
    group_by = serializers.CharField()
    currency = serializers.CharField()
    rows = SalesRowOutput(many=True)
    totals = SalesFiguresOutput()
    generated_at = serializers.DateTimeField()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(allow_null=True)
        fields["to"] = serializers.DateField(allow_null=True)
        return fields


class OccupancyFiguresOutput(serializers.Serializer):
    capacity = serializers.IntegerField()
    sold = serializers.IntegerField()
    held = serializers.IntegerField()
    allocated = serializers.IntegerField()
    blocked = serializers.IntegerField()
    free = serializers.IntegerField()


class CategoryOccupancyOutput(OccupancyFiguresOutput):
    category = serializers.CharField()


class AreaOccupancyOutput(OccupancyFiguresOutput):
    area = serializers.IntegerField()
    name = serializers.CharField()


class SeatColumnsOutput(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField())
    sold_at = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    price_cents = serializers.ListField(child=serializers.IntegerField(allow_null=True))


class OccupancyOutput(OccupancyFiguresOutput):
    event = serializers.IntegerField()
    by_category = CategoryOccupancyOutput(many=True)
    standing = AreaOccupancyOutput(many=True)
    seats = SeatColumnsOutput()
    generated_at = serializers.DateTimeField()


class PacePointOutput(serializers.Serializer):
    day = serializers.DateField()
    days_from_on_sale = serializers.IntegerField()
    tickets = serializers.IntegerField()
    gross_cents = serializers.IntegerField()
    cumulative_tickets = serializers.IntegerField()
    cumulative_gross_cents = serializers.IntegerField()


class PaceSeriesOutput(serializers.Serializer):
    event = serializers.IntegerField()
    on_sale_at = serializers.DateTimeField()
    series = PacePointOutput(many=True)


class SalesOverTimeOutput(PaceSeriesOutput):
    compare = PaceSeriesOutput(allow_null=True)
    generated_at = serializers.DateTimeField()
