"""Input and output shapes of the check-in API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from enturf_core.checkin_verdicts import WORDS, Verdict, colour_of
from enturf_core.ticket_codes import MAX_CODE_LENGTH
from enturf_server.api.inputs import id_field
from enturf_server.checkins.models import CheckinList, CheckinRecord, Kind
from enturf_server.checkins.scanning import previous_entry
from enturf_server.sales.models import BookingLine


class ScanInput(serializers.Serializer):
    id = serializers.UUIDField(help_text="the device's id of the scan: a replay is the same")
    code = serializers.CharField(max_length=MAX_CODE_LENGTH, trim_whitespace=True)
    list = id_field()
    gate = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, default=Kind.ENTRY)
    scanned_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    override_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="right door_override (or `approval`): let the person through despite a refusal",
    )
    approval = serializers.JSONField(
        required=False,
        allow_null=True,
        default=None,
        help_text="a door supervisor's signed door_override approval of this scan's id and "
        "reason (accounts.approvals), when the scanning user lacks door_override",
    )


def _place(line: BookingLine | None) -> dict[str, Any]:
    place: dict[str, Any] = {"section": None, "row": None, "seat": None, "area": None}
    if line is None:
        return place
    if line.seat_id is not None:
        seat = line.seat
        place.update(section=seat.row.section.name, row=seat.row.label, seat=seat.label)
    elif line.area_id is not None:
        place["area"] = line.area.name
    return place


def scan_answer(record: CheckinRecord) -> dict[str, Any]:
    """The answer to a scan (also to its replay): the verdict in code, words and colour,
    the reason in plain words, the ticket and its place, and the entry before it."""
    verdict = Verdict(record.verdict)
    line = record.line
    if line is not None and not BookingLine.ticket.is_cached(line):  # a replay: read it
        line = BookingLine.objects.select_related("ticket", "seat__row__section", "area").get(
            pk=line.pk
        )
    previous = previous_entry(record) if verdict is Verdict.ALREADY_IN else None
    return {
        "id": str(record.pk),
        "verdict": verdict.value,
        "words": WORDS[verdict],
        "colour": colour_of(verdict).value,
        "reason": record.reason,
        "kind": record.kind,
        "list": record.checkin_list_id,
        "gate": record.gate,
        "scanned_at": record.scanned_at.isoformat(),
        "line": str(record.line_ref) if record.line_ref else None,
        "ticket": line.ticket.name if line is not None else None,
        "ticket_id": line.ticket_id if line is not None else None,
        **_place(line),
        "previous": {"at": previous.scanned_at.isoformat(), "gate": previous.gate}
        if previous is not None
        else None,
        "double_entry": record.double_entry,
        "override": {
            "reason": record.override_reason,
            "by": record.override_by.username if record.override_by else None,
            "refused": record.server_verdict,
        }
        if record.override_reason
        else None,
    }


class PreviousOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    gate = serializers.CharField()


class ScanOutput(serializers.Serializer):
    id = serializers.UUIDField()
    verdict = serializers.ChoiceField(choices=[v.value for v in Verdict])
    words = serializers.CharField()
    colour = serializers.ChoiceField(choices=["green", "amber", "red"])
    reason = serializers.CharField()
    kind = serializers.CharField()
    list = serializers.IntegerField()
    gate = serializers.CharField()
    scanned_at = serializers.DateTimeField()
    line = serializers.UUIDField(allow_null=True)
    ticket = serializers.CharField(allow_null=True)
    ticket_id = serializers.IntegerField(allow_null=True)
    section = serializers.CharField(allow_null=True)
    row = serializers.CharField(allow_null=True)
    seat = serializers.CharField(allow_null=True)
    area = serializers.CharField(allow_null=True)
    previous = PreviousOutput(allow_null=True)
    double_entry = serializers.BooleanField()
    override = serializers.DictField(allow_null=True)


class CheckinListOutput(serializers.ModelSerializer):
    tickets = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = CheckinList
        fields = [
            "id",
            "event",
            "name",
            "tickets",
            "gates",
            "exits",
            "reentry",
            "starts_at",
            "ends_at",
            "is_default",
            "version",
        ]
        read_only_fields = fields


class CheckinListInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    tickets = serializers.ListField(child=id_field(), required=False, max_length=1000)
    gates = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=100
    )
    exits = serializers.BooleanField(required=False)
    reentry = serializers.BooleanField(required=False)
    starts_at = serializers.DateTimeField(required=False, allow_null=True)
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
