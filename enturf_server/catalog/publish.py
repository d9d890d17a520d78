"""Push op `seatmap_publish`: a manager's seat-map draft becomes the next version of
the venue's map (payload `enturf_core.wire.ops.SeatMapPublish`, docs/sync.md).

The layout is checked as `POST /api/v1/seatmaps/` checks it (`parse_layout`): a bad one
is rejected with ``code invalid_seat_map`` and the place in ``details.path`` (within the
layout, as the editor's own check names it). Results: applied ``{"seat_map", "version"}`` (a replay of the same draft
answers the same seat map); conflict ``server {"seat_map", "version"}`` (the newest
version) when the map changed since the draft's base and the manager did not choose
`as_newer`. Only admins publish, as only they write seat maps through the API.
`CatalogConfig.ready()` registers it.
"""

from __future__ import annotations

from typing import Any

from enturf_core.seatmap_editing.file_format import SEAT_MAP_NAME_MAX
from enturf_core.staff_rights import Right
from enturf_core.wire import ops as wire
from enturf_server.accounts.rights import ensure_right
from enturf_server.api.errors import NotFound, ServiceError
from enturf_server.api.inputs import MAX_ID
from enturf_server.catalog import services
from enturf_server.catalog.models import SeatMap, Venue
from enturf_server.catalog.seatmap_layout import LayoutError, parse_layout
from enturf_server.catalog.serializers import SeatMapFieldsInput
from enturf_server.sync.push_registry import (
    APPLIED,
    CONFLICT,
    OpResult,
    PushContext,
    PushOp,
    push_handler,
    typed_payload,
)

SCALAR_FIELDS = ("stage_x", "stage_y", "width", "height")


def _scalars(layout: dict[str, Any]) -> dict[str, Any]:
    """The layout's stage focal point and size, checked as the import API checks them."""
    given = {k: layout[k] for k in SCALAR_FIELDS if k in layout and layout[k] is not None}
    checked = SeatMapFieldsInput(data=given)
    if not checked.is_valid():
        field, problems = next(iter(checked.errors.items()))
        raise LayoutError(f"seat map: {field}: {problems[0]}", details={"path": field})
    return dict(checked.validated_data)


def _name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > SEAT_MAP_NAME_MAX:
        raise ServiceError(
            f"A seat map's name is 1 to {SEAT_MAP_NAME_MAX} characters.",
            code="invalid_seat_map",
            details={"path": "name"},
        )
    return name


@push_handler(wire.SEATMAP_PUBLISH)
def seatmap_publish(op: PushOp, ctx: PushContext) -> OpResult:
    ensure_right(ctx.user, Right.EDIT_SEAT_MAPS, "publish seat maps")
    publish = typed_payload(op, wire.SeatMapPublish)
    venue = Venue.objects.filter(pk=publish.venue).first() if publish.venue <= MAX_ID else None
    if venue is None:
        raise NotFound(f"There is no venue {publish.venue}.", details={"path": "venue"})
    name = _name(publish.name)
    published = SeatMap.objects.filter(origin=publish.draft).first()
    if published is not None:  # a replay: the draft was checked and stored before
        return _applied(published)
    fields = _scalars(publish.layout)
    layout = parse_layout(publish.layout)
    try:
        seat_map = services.publish_seat_map(
            actor=ctx.user,
            draft=publish.draft,
            venue=venue,
            name=name,
            layout=layout,
            base_seat_map=publish.base_seat_map,
            as_newer=publish.as_newer,
            **fields,
        )
    except services.SeatMapChanged as exc:
        return OpResult(CONFLICT, code=exc.code, reason=exc.message, server=exc.details)
    return _applied(seat_map)


def _applied(seat_map: SeatMap) -> OpResult:
    return OpResult(APPLIED, extra={"seat_map": seat_map.pk, "version": seat_map.version})
