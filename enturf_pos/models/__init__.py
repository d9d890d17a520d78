"""The POS's local database: SQLAlchemy 2 models, the session factory, migrations."""

from enturf_pos.models.accounts import ApprovalKey, Device, LocalUser, RoleRights, TicketKey
from enturf_pos.models.base import Base
from enturf_pos.models.card_payments import CardAttempt
from enturf_pos.models.catalog import (
    Area,
    CounterDevice,
    DraftState,
    Event,
    Seat,
    SeatMap,
    SeatMapDraft,
    SeatStatus,
    Ticket,
    Venue,
)
from enturf_pos.models.database import Database
from enturf_pos.models.door import Admission, CheckinList, CheckinRecord, DoorScan
from enturf_pos.models.printing import DrawerOpening, PrintLogEntry
from enturf_pos.models.reports import ReportCacheEntry
from enturf_pos.models.sales import Allocation, LocalRefund, LocalSale
from enturf_pos.models.shifts import LocalDrawerMovement, LocalShift, ShiftState
from enturf_pos.models.sync_state import OutboxOp, OutboxState, SiteSettings, SyncStateEntry

__all__ = [
    "Admission",
    "Allocation",
    "ApprovalKey",
    "Area",
    "Base",
    "CardAttempt",
    "CheckinList",
    "CheckinRecord",
    "CounterDevice",
    "Database",
    "Device",
    "DoorScan",
    "DraftState",
    "DrawerOpening",
    "Event",
    "LocalDrawerMovement",
    "LocalRefund",
    "LocalSale",
    "LocalShift",
    "LocalUser",
    "OutboxOp",
    "OutboxState",
    "PrintLogEntry",
    "ReportCacheEntry",
    "RoleRights",
    "Seat",
    "SeatMap",
    "SeatMapDraft",
    "SeatStatus",
    "ShiftState",
    "SiteSettings",
    "SyncStateEntry",
    "Ticket",
    "TicketKey",
    "Venue",
]
