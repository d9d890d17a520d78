"""The `checkin` push op (payload `enturf_core.wire.ops.Checkin`): a scan a door made
offline, recorded as the door did it (refused ones too) beside the server's own verdict.
Registered by `CheckinsConfig.ready()`.

Applied: ``extra {"checkin": id, "verdict": the server's verdict, "double_entry": bool}``
(the same record and answer for a replay). Rejected: a user without the right `door_scan`
(``permission_denied``), an override by someone without `door_override` and without the
signed approval of someone with it (``permission_denied``, ``approval_*``), a list that does
not exist (``not_found``), a verdict that is none (``invalid``).
"""

from __future__ import annotations

import uuid

from django.db import connection

from enturf_core.checkin_verdicts import Verdict
from enturf_core.staff_rights import Right
from enturf_core.wire import ops as wire
from enturf_server.accounts.rights import ensure_right
from enturf_server.api.errors import NotFound, ServiceError
from enturf_server.api.inputs import MAX_ID
from enturf_server.checkins.models import CheckinList, CheckinRecord
from enturf_server.checkins.overrides import door_supervisor
from enturf_server.checkins.scanning import Scan, ScanReader, record_scan
from enturf_server.sync.push_registry import (
    APPLIED,
    OpResult,
    PushContext,
    PushOp,
    push_handler,
    typed_payload,
)


def _list(list_id: int) -> CheckinList:
    row = None
    if 0 < list_id <= MAX_ID:
        row = (
            CheckinList.objects.select_related("event__seat_map__venue")
            .prefetch_related("tickets")
            .filter(pk=list_id)
            .first()
        )
    if row is None:
        raise NotFound(f"Check-in list {list_id} does not exist.", code="not_found")
    return row


def _scans(ctx: PushContext) -> list[tuple[uuid.UUID, str, int]]:
    """(scan id, code, list id) of the push's well-formed `checkin` ops."""
    found = []
    for op in ctx.ops:
        payload = op.payload if op.type == wire.CHECKIN else None
        if not isinstance(payload, dict):
            continue
        code, list_id = payload.get("code"), payload.get("list")
        try:
            scan_id = uuid.UUID(str(payload.get("id")))
        except ValueError:
            continue
        if isinstance(code, str) and type(list_id) is int and 0 < list_id <= MAX_ID:
            found.append((scan_id, code, list_id))
    return found


def _reader(ctx: PushContext) -> ScanReader:
    """The push's scans read at once, per transaction (the lines it locked hold till its
    end: a push split around an op that commits on its own reads again)."""
    outermost = connection.atomic_blocks[0] if connection.atomic_blocks else None
    return ctx.memo(("checkin_reader", outermost), lambda: ScanReader.preload(_scans(ctx)))


@push_handler(wire.CHECKIN)
def checkin(op: PushOp, ctx: PushContext) -> OpResult:
    ensure_right(ctx.user, Right.DOOR_SCAN, "scan tickets at the door")
    scan = typed_payload(op, wire.Checkin)
    if scan.verdict not in Verdict.__members__.values():
        raise ServiceError(
            f"{scan.verdict!r} is not a door verdict.",
            code="invalid",
            details={"verdict": ["not a verdict"]},
        )
    override_by = None
    replay = CheckinRecord.objects.filter(pk=scan.id).exists()  # its approval was used
    if scan.override_reason.strip() and not replay:
        override_by = door_supervisor(
            user=ctx.user,
            scan_id=scan.id,
            reason=scan.override_reason.strip(),
            approval=scan.approval,
            device=ctx.device,
        )
    listing = ctx.memo(("checkin_list", scan.list), lambda: _list(scan.list))
    outcome = record_scan(
        Scan(
            id=scan.id,
            code=scan.code,
            checkin_list=listing,
            gate=scan.gate.strip()[:100],
            kind=scan.kind,
            scanned_at=scan.scanned_at,
            user=ctx.user,
            device=ctx.device,
            offline=True,
            door_verdict=scan.verdict,
            override_reason=scan.override_reason.strip(),
            override_by=override_by,
        ),
        reader=_reader(ctx),
    )
    record = outcome.record
    return OpResult(
        APPLIED,
        extra={
            "checkin": str(record.pk),
            "verdict": record.server_verdict,
            "double_entry": record.double_entry,
        },
    )
