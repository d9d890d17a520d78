"""Finding a booking at the counter: by booking code, buyer name or e-mail, or by a
ticket's code (typed or scanned from its QR code).

Online the server is asked (`GET /api/v1/bookings/?search=`, the detail, its payments
and refunds); this counter's sales that have not reached the server yet are added from
the local database. Offline only this counter's local sales (`local_sales`, pushed or
not) can be found, with the refunds made here (`local_refunds`).

Every function is meant for a worker thread and answers plain dataclasses; network and
server problems become a result with a message, never an exception. Names (event,
ticket, seat or area) come from the synced catalog of this counter.

A ticket code (``v1.<key id>.<payload>.<signature>``) is verified here with the synced
public keys (`ticket_keys`); its payload names the ticket's line, and the booking holding
that line is asked for (`GET /api/v1/bookings/?line=`), or found among this counter's
sales offline.

The answers are `booking_records`; this counter's own sales are read by
`local_bookings`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select

from enturf_core import ticket_codes
from enturf_pos.models import LocalSale, TicketKey
from enturf_pos.services.sales.booking_records import (
    SERVER,
    BookingDetail,
    BookingLine,
    BookingRefund,
    BookingSummary,
    CatalogNames,
    DetailResult,
    SearchResult,
    catalog_names,
    in_map_order,
    money_of,
    payment_from_api,
    uuid_of,
)
from enturf_pos.services.sales.local_bookings import (
    MAX_RESULTS,
    Matcher,
    local_detail,
    local_line_matches,
    local_matches,
    local_search,
)
from enturf_pos.services.session.api_client import ApiError, ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync.sync_wire import parse_time

log = logging.getLogger(__name__)

BOOKINGS = "/api/v1/bookings/"
REFUNDS = "/api/v1/refunds/"
NOT_SIGNED_IN = "Not signed in to the server; only this counter's sales can be searched."
TICKET_CODE_PROBLEMS: dict[ticket_codes.Reason | None, str] = {
    ticket_codes.Reason.UNKNOWN_KEY: (
        "This ticket was signed by a key this counter does not know yet: "
        "sync (F5) and scan it again."
    ),
    ticket_codes.Reason.BAD_SIGNATURE: "This is not a valid ticket: its code was altered.",
    ticket_codes.Reason.KEY_RETIRED: (
        "This is not a valid ticket: it was signed after its counter was retired."
    ),
    None: "This is not a valid ticket code; type the booking code instead.",
}


# -- the server -----------------------------------------------------------------------------


def results_of(answer: Any) -> list[dict[str, Any]]:
    return list(answer.get("results", [])) if isinstance(answer, dict) else list(answer or [])


def _server_summaries(ctx: PosContext, bookings: list[dict[str, Any]]) -> list[BookingSummary]:
    with ctx.db.transaction() as session:
        names = catalog_names(session, events=[b.get("event") for b in bookings])
    return [_server_summary(b, names) for b in bookings]


def _server_summary(data: Mapping[str, Any], names: CatalogNames) -> BookingSummary:
    currency = str(data.get("currency") or "EUR")
    return BookingSummary(
        id=uuid_of(data["id"]),
        code=str(data.get("code") or ""),
        buyer_name=str(data.get("buyer_name") or ""),
        buyer_email=str(data.get("buyer_email") or ""),
        event_name=names.event(data.get("event")),
        state=str(data.get("state") or ""),
        total=money_of(data.get("total"), currency),
        tickets=len(data.get("lines") or ()),
        created_at=parse_time(data.get("created_at")),
        source=SERVER,
    )


def search(*, ctx: PosContext, text: str, online: bool) -> SearchResult:
    """Bookings whose code is `text` or whose buyer's name or e-mail contains it; for a
    ticket code, the booking of that ticket."""
    text = text.strip()
    if is_ticket_code(text):
        line_id, problem = ticket_line(ctx, text)
        if line_id is None:
            return SearchResult(False, problem)
        return _search(
            ctx,
            {"line": line_id},
            lambda session, **kw: local_line_matches(session, line_id, **kw),
            online=online,
        )
    if len(text) < 2:
        return SearchResult(
            False, "Type a booking code, or at least two letters of a name or e-mail."
        )
    return _search(
        ctx,
        {"search": text},
        lambda session, **kw: local_matches(session, text, **kw),
        online=online,
    )


def _search(
    ctx: PosContext, params: dict[str, str], matches: Matcher, *, online: bool
) -> SearchResult:
    """The server's answer to `params` plus this counter's unsent sales; offline (or when
    the server cannot be reached) this counter's sales that `matches`."""
    if online:
        client = ctx.user_client()
        if client is not None:
            try:
                answer = client.get(BOOKINGS, params={**params, "page_size": MAX_RESULTS})
                found = _server_summaries(ctx, results_of(answer))
            except ServerUnreachable as exc:
                log.info("booking search offline: %s", exc.message)
            except ApiError as exc:
                return SearchResult(False, f"The server refused the search: {exc.message}")
            else:
                known = {b.id for b in found}
                found += [
                    b for b in local_search(ctx, matches, pending_only=True) if b.id not in known
                ]
                return SearchResult(True, _count(found, online=True), tuple(found), online=True)
            finally:
                client.close()
    found = local_search(ctx, matches)
    message = _count(found, online=False)
    return SearchResult(True, message, tuple(found), online=False)


def is_ticket_code(text: str) -> bool:
    """A ticket's signed code (``v1.<key id>.<payload>.<signature>``), not a name."""
    return text.startswith(f"{ticket_codes.VERSION}.") and text.count(".") == 3


def ticket_line(ctx: PosContext, code: str) -> tuple[str | None, str]:
    """The line id a ticket code names, checked against the signers' public keys this
    counter has synced; (None, why) when the code cannot be trusted."""
    with ctx.db.transaction() as session:
        keys = session.execute(select(TicketKey.public_key, TicketKey.retired_at)).all()
    infos = []
    for public_key, retired_at in keys:
        try:
            infos.append(ticket_codes.PublicKeyInfo.from_base64(public_key, retired_at))
        except ValueError:
            log.warning("a synced ticket key is not an Ed25519 public key; skipped")
    try:
        claims = ticket_codes.verify(code, ticket_codes.keyring_of(*infos))
    except ticket_codes.InvalidTicketCode as exc:
        return None, TICKET_CODE_PROBLEMS.get(exc.reason, TICKET_CODE_PROBLEMS[None])
    return str(claims.line_id), ""


def _count(found: Sequence[BookingSummary], *, online: bool) -> str:
    where = "" if online else " (offline: this counter's sales only)"
    if not found:
        return f"No booking found{where}."
    return f"{len(found)} booking{'s' if len(found) != 1 else ''} found{where}."


def detail(*, ctx: PosContext, booking_id: uuid.UUID, online: bool) -> DetailResult:
    """One booking with its lines, payments and refunds (from the server when online)."""
    not_on_server = False
    if online and (client := ctx.user_client()) is not None:
        try:
            booking = client.get(f"{BOOKINGS}{booking_id}/")
            payments = client.get(f"{BOOKINGS}{booking_id}/payments/")
            refunds = results_of(
                client.get(REFUNDS, params={"booking": str(booking_id), "page_size": 100})
            )
        except ServerUnreachable as exc:
            log.info("booking detail offline: %s", exc.message)
        except ApiError as exc:
            if exc.status != 404:
                return DetailResult(False, f"The server refused: {exc.message}")
            not_on_server = True
            # not on the server (yet): a sale of this counter waiting to be sent
        else:
            return DetailResult(
                True, "", server_detail(ctx, booking, results_of(payments), refunds)
            )
        finally:
            client.close()
    local = local_detail(ctx=ctx, booking_id=booking_id)
    if local is None:
        if not_on_server:
            return DetailResult(False, "There is no such booking (any more).")
        return DetailResult(
            False, "This booking is on the server; it cannot be shown while offline."
        )
    return DetailResult(True, "", local)


def server_detail(
    ctx: PosContext,
    booking: Mapping[str, Any],
    payments: Sequence[Mapping[str, Any]],
    refunds: Sequence[Mapping[str, Any]],
) -> BookingDetail:
    currency = str(booking.get("currency") or "EUR")
    raw_lines = booking.get("lines") or []
    event_id = booking.get("event")
    with ctx.db.transaction() as session:
        names = catalog_names(
            session,
            events=[event_id],
            tickets=[line["ticket"] for line in raw_lines],
            seats=[line.get("seat") for line in raw_lines],
            areas=[line.get("area") for line in raw_lines],
        )
        local_sale = session.get(LocalSale, uuid_of(booking["id"])) is not None
    lines = in_map_order(
        BookingLine(
            id=uuid_of(line["id"]),
            event_id=int(event_id or 0),
            event_name=names.event(event_id),
            ticket_id=int(line["ticket"]),
            ticket_name=names.ticket(int(line["ticket"])),
            place=names.place(line.get("seat"), line.get("area")),
            price=money_of(line.get("price"), currency),
            state=str(line.get("state") or ""),
            seat_id=line.get("seat"),
            area_id=line.get("area"),
        )
        for line in raw_lines
    )
    return BookingDetail(
        summary=_server_summary(booking, names),
        lines=lines,
        payments=tuple(payment_from_api(p, currency) for p in payments),
        refunds=tuple(
            BookingRefund(
                id=uuid_of(r["id"]),
                amount=money_of(r.get("amount"), str(r.get("currency") or currency)),
                method=str(r.get("method") or ""),
                state=str(r.get("state") or ""),
                created_at=parse_time(r.get("created_at")),
                lines=tuple(uuid_of(x) for x in r.get("lines") or ()),
                reason=str(r.get("reason") or ""),
            )
            for r in refunds
        ),
        local_sale=local_sale,
    )
