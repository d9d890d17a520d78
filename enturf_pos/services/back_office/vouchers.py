"""Vouchers for the manager's Vouchers tab, all through the server's API (vouchers are the
server's; no push op): the list (filtered by code, batch or event; the last one fetched
kept for offline with its time), one voucher created or changed, codes made in bulk,
and a voucher's redemptions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select

from enturf_core.local_time import parse_utc
from enturf_core.money import Money
from enturf_pos.models import Ticket
from enturf_pos.services.back_office.kept_reads import Unread, get_and_keep
from enturf_pos.services.back_office.table_files import write_table
from enturf_pos.services.session.api_client import ApiClient, ApiError, ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import sync_state_store

CACHE_KEY = "back_office:vouchers"
PAGE_SIZE = 500
BULK_MAX = 500
NEEDS_SERVER = "Creating and changing vouchers needs the server"


@dataclass(frozen=True, slots=True)
class VoucherRow:
    id: int
    code: str
    kind: str  # percent or fixed
    percent: Decimal | None
    amount: Decimal | None
    currency: str
    valid_from: datetime | None
    valid_until: datetime | None
    max_uses: int | None
    used: int
    events: tuple[int, ...]
    tickets: tuple[int, ...]
    active: bool
    batch: str

    def value_text(self) -> str:
        if self.kind == "percent":
            return f"{self.percent.normalize():f} %" if self.percent is not None else "?"
        return _money_text(self.amount, self.currency) if self.amount is not None else "?"

    def uses_text(self) -> str:
        return f"{self.used} of {self.max_uses}" if self.max_uses else f"{self.used}"


@dataclass(frozen=True, slots=True)
class VoucherFilters:
    code: str = ""
    batch: str = ""
    event_id: int | None = None

    def params(self) -> dict[str, str]:
        found = {"code": self.code.strip(), "batch": self.batch.strip()}
        if self.event_id is not None:
            found["event"] = str(self.event_id)
        return {k: v for k, v in found.items() if v}


@dataclass(frozen=True, slots=True)
class VoucherList:
    rows: tuple[VoucherRow, ...] = ()
    count: int = 0
    fetched: datetime | None = None
    live: bool = False
    offline: bool = False
    message: str = ""


@dataclass(frozen=True, slots=True)
class VoucherRules:
    """What a manager typed: the rules of a voucher (the code aside)."""

    kind: str
    value: str  # the percent or the amount, as typed
    currency: str = "EUR"
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    max_uses: int | None = None
    events: tuple[int, ...] = ()
    tickets: tuple[int, ...] = ()
    active: bool = True

    def body(self) -> dict[str, Any]:
        """The API's fields (a value that is no number is sent as typed: the server says
        what is wrong with it)."""
        try:
            number: str = str(Decimal(self.value.strip().replace(",", ".")))
        except InvalidOperation:
            number = self.value.strip()
        body: dict[str, Any] = {
            "kind": self.kind,
            "percent": number if self.kind == "percent" else None,
            "amount": number if self.kind == "fixed" else None,
            "currency": self.currency.strip().upper() if self.kind == "fixed" else "",
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "max_uses": self.max_uses or None,
            "events": list(self.events),
            "tickets": list(self.tickets),
            "active": self.active,
        }
        return body


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    message: str
    voucher: VoucherRow | None = None
    batch: str = ""
    codes: tuple[str, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)  # field -> the server's reason


@dataclass(frozen=True, slots=True)
class Redemption:
    booking_code: str
    at: datetime | None
    discount: str
    channel: str
    counter: str
    state: str


@dataclass(frozen=True, slots=True)
class Redemptions:
    rows: tuple[Redemption, ...] = ()
    message: str = ""  # why none are shown


def _money_text(value: object, currency: str) -> str:
    """E.g. "€4.00", as the rest of the counter writes money; the server's text if odd."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return f"{value} {currency}".strip()
    return Money(amount, currency).format() if currency else f"{amount:.2f}"


# -- reading -----------------------------------------------------------------------------------


def fetch_list(ctx: PosContext, filters: VoucherFilters) -> VoucherList:
    """Run off the UI thread: the server's list (kept), else the list kept last."""
    params = {**filters.params(), "page_size": str(PAGE_SIZE)}
    read = get_and_keep(ctx, "api/v1/vouchers/", params, CACHE_KEY)
    if isinstance(read, Unread):
        return _kept(ctx, read.message, offline=read.offline)
    data, fetched = read
    return _list(data, fetched, live=True)


def redemptions(ctx: PosContext, voucher_id: int) -> Redemptions:
    client = ctx.user_client()
    if client is None:
        return Redemptions(message="Redemptions are read from the server: not connected.")
    try:
        data = client.request(
            "GET", f"api/v1/vouchers/{voucher_id}/redemptions/", params={"page_size": "500"}
        )
    except (ServerUnreachable, ApiError) as exc:
        return Redemptions(message=f"Redemptions are read from the server: {exc.message}")
    finally:
        client.close()
    rows = tuple(
        Redemption(
            booking_code=str(item.get("booking_code") or ""),
            at=parse_utc(item.get("at")),
            discount=_money_text(item.get("discount"), str(item.get("currency") or "")),
            channel=str(item.get("channel") or ""),
            counter=str(item.get("counter") or ""),
            state=str(item.get("state") or ""),
        )
        for item in (data.get("results") or ())
        if isinstance(item, dict)
    )
    return Redemptions(rows, "" if rows else "Not redeemed yet.")


def events_of_tickets(ctx: PosContext, ticket_ids: tuple[int, ...]) -> dict[int, int]:
    """ticket id -> its event id, for the tickets this device knows (the synced catalog)."""
    if not ticket_ids:
        return {}
    query = select(Ticket.id, Ticket.event_id).where(Ticket.id.in_(ticket_ids))
    with ctx.db.transaction() as session:
        return {int(t): int(e) for t, e in session.execute(query)}


# -- writing -----------------------------------------------------------------------------------


def save_voucher(
    ctx: PosContext, voucher_id: int | None, code: str, rules: VoucherRules
) -> Outcome:
    """Create (`voucher_id` None) or change a voucher; the server's refusal as the message."""
    body = {"code": code.strip(), **rules.body()}
    path = "api/v1/vouchers/" if voucher_id is None else f"api/v1/vouchers/{voucher_id}/"
    answer = _send(ctx, "POST" if voucher_id is None else "PATCH", path, body)
    if isinstance(answer, Outcome):
        return answer
    done = "created" if voucher_id is None else "saved"
    row = _row(answer)
    return Outcome(True, f"Voucher {row.code} {done}.", voucher=row)


def create_in_bulk(ctx: PosContext, count: int, prefix: str, rules: VoucherRules) -> Outcome:
    body = {"count": count, "prefix": prefix.strip(), **rules.body()}
    answer = _send(ctx, "POST", "api/v1/vouchers/bulk/", body)
    if isinstance(answer, Outcome):
        return answer
    codes = tuple(str(c) for c in answer.get("codes") or ())
    batch = str(answer.get("batch") or "")
    return Outcome(True, f"{len(codes)} codes made, batch {batch}.", batch=batch, codes=codes)


CSV_HEADERS = ("Code", "Batch", "Kind", "Value", "Valid from", "Valid until", "Uses")


def save_codes(path: Path, outcome: Outcome, rules: VoucherRules) -> int:
    """The codes of a bulk creation, with their rules, as CSV or XLSX (by suffix)."""
    value = f"{rules.value} %" if rules.kind == "percent" else f"{rules.value} {rules.currency}"
    rows = (
        (
            code,
            outcome.batch,
            rules.kind,
            value,
            rules.valid_from,
            rules.valid_until,
            rules.max_uses or "",
        )
        for code in outcome.codes
    )
    return write_table(path, CSV_HEADERS, rows, title="Vouchers")


def _send(ctx: PosContext, method: str, path: str, body: dict[str, Any]) -> Any:
    client: ApiClient | None = ctx.user_client()
    if client is None:
        return Outcome(False, f"{NEEDS_SERVER}: not connected.")
    try:
        return client.request(method, path, json=body)
    except ServerUnreachable as exc:
        return Outcome(False, f"{NEEDS_SERVER}: {exc.message}")
    except ApiError as exc:
        fields = {k: _reason(v) for k, v in (exc.details or {}).items()}
        named = "; ".join(f"{k}: {v}" for k, v in fields.items() if v)
        text = exc.message if not named or named in exc.message else f"{exc.message} {named}"
        return Outcome(False, text, fields=fields)
    finally:
        client.close()


def _reason(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(_reason(v) for v in value)
    if isinstance(value, dict):
        return " ".join(f"{k}: {_reason(v)}" for k, v in value.items())
    return str(value)


# -- parsing -----------------------------------------------------------------------------------


def _kept(ctx: PosContext, message: str, *, offline: bool = False) -> VoucherList:
    with ctx.db.transaction() as session:
        kept = sync_state_store.get_value(session, CACHE_KEY) or None
    if kept is None:
        return VoucherList(offline=offline, message=message)
    got = _list(kept.get("data") or {}, parse_utc(kept.get("fetched")), live=False)
    return VoucherList(got.rows, got.count, got.fetched, False, offline, message)


def _list(data: Any, fetched: datetime | None, *, live: bool) -> VoucherList:
    data = data if isinstance(data, dict) else {}
    rows = tuple(_row(item) for item in data.get("results") or () if isinstance(item, dict))
    count = data.get("count") if isinstance(data.get("count"), int) else len(rows)
    return VoucherList(rows, count, fetched, live)


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _row(item: dict[str, Any]) -> VoucherRow:
    return VoucherRow(
        id=int(item.get("id") or 0),
        code=str(item.get("code") or ""),
        kind=str(item.get("kind") or ""),
        percent=_decimal(item.get("percent")),
        amount=_decimal(item.get("amount")),
        currency=str(item.get("currency") or ""),
        valid_from=parse_utc(item.get("valid_from")),
        valid_until=parse_utc(item.get("valid_until")),
        max_uses=item.get("max_uses") if isinstance(item.get("max_uses"), int) else None,
        used=item.get("used") if isinstance(item.get("used"), int) else 0,
        events=tuple(int(e) for e in item.get("events") or ()),
        tickets=tuple(int(t) for t in item.get("tickets") or ()),
        active=bool(item.get("active", True)),
        batch=str(item.get("batch") or ""),
    )
