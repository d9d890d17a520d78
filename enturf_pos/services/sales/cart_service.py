"""The counter's cart: seats and GA places, a ticket per line, a voucher, the totals.

Plain Python (no Qt, no network): the cashier window keeps one :class:`Cart` per sale and
shows :meth:`Cart.rows` and :meth:`Cart.totals`. Prices come from `enturf_core.pricing`
(`compute_breakdown`), exactly as the server prices them.

* A seat gets the first active ticket of its category (by position); the cashier can
  change it (:meth:`Cart.set_ticket`, :meth:`Cart.cycle_ticket`).
* A GA area sells by quantity, per ticket: :meth:`Cart.set_area_quantity`.
* A voucher (checked on the server, see `hold_service.check_voucher`) discounts the
  lines it applies to; fees are not charged at the counter.
* A supervisor's price override (`services.price_override`) sets what is paid for each
  ticket of a row (`Cart.set_override`); it is kept only while the row's listed prices
  are the ones it was approved against: a change of ticket, quantity or voucher drops it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from enturf_core.money import Money
from enturf_core.pricing.breakdown import PriceBreakdown, PricedLine, compute_breakdown
from enturf_core.pricing.overrides import override_prices
from enturf_core.pricing.terms import LineInput, Voucher
from enturf_core.wire.feed import Ticket

SEAT, AREA = "seat", "area"


@dataclass(frozen=True, slots=True)
class SeatPick:
    """A seat the cashier picked, as the map knows it."""

    seat_id: int
    label: str  # "Stalls · Row B · 12"
    category: str


@dataclass(frozen=True, slots=True)
class LineOverride:
    """One ticket of an overridden row: its sale line id (the approval's subject), its
    listed price (what the server asks for it) and the price it is sold at."""

    line_id: uuid.UUID
    listed: Money
    price: Money
    approval: Mapping[str, Any] | None = None  # the administrator's signed approval


@dataclass(frozen=True, slots=True)
class RowOverride:
    """A supervisor's price override on a cart row, one `LineOverride` per ticket."""

    reason: str
    approver: str
    lines: tuple[LineOverride, ...]

    @property
    def listed(self) -> Money:
        return sum((x.listed for x in self.lines[1:]), self.lines[0].listed)


@dataclass(frozen=True, slots=True)
class CartRow:
    """One row of the cart table: a seat, or a quantity of places of one GA ticket."""

    key: str  # "s<seat id>" or "a<area id>:<ticket id>"
    kind: str  # SEAT or AREA
    label: str
    ticket_id: int
    ticket_name: str
    quantity: int
    unit_price: Money
    discount: Money
    amount: Money  # what is paid for the row (tax included, after the discount)
    seat_id: int | None = None
    area_id: int | None = None
    override: RowOverride | None = None  # the price was changed by a supervisor


@dataclass(frozen=True, slots=True)
class CartTotals:
    currency: str
    tickets: int
    subtotal: Money
    discount: Money
    total: Money
    tax: Money

    @property
    def empty(self) -> bool:
        return self.tickets == 0


class CartError(ValueError):
    """A change the cart refuses (unknown ticket, a ticket of another category...)."""


@dataclass
class _SeatLine:
    pick: SeatPick
    ticket_id: int


@dataclass
class Cart:
    event_id: int
    tickets: Sequence[Ticket]
    area_names: Mapping[int, str] = field(default_factory=dict)
    currency: str = ""
    _seats: dict[int, _SeatLine] = field(default_factory=dict)
    _areas: dict[tuple[int, int], int] = field(default_factory=dict)  # (area, ticket) -> qty
    voucher: Voucher | None = None
    _overrides: dict[str, RowOverride] = field(default_factory=dict)  # row key -> override

    def __post_init__(self) -> None:
        self.tickets = sorted(self.tickets, key=lambda t: t.id)
        self._by_id = {t.id: t for t in self.tickets}
        if not self.currency:
            self.currency = self.tickets[0].currency if self.tickets else "EUR"

    # -- tickets ------------------------------------------------------------------------

    def ticket(self, ticket_id: int) -> Ticket:
        try:
            return self._by_id[ticket_id]
        except KeyError:
            raise CartError(f"Ticket {ticket_id} is not on sale for this event.") from None

    def tickets_for_category(self, category: str) -> list[Ticket]:
        return [t for t in self.tickets if t.category == category and t.area is None]

    def tickets_for_area(self, area_id: int) -> list[Ticket]:
        return [t for t in self.tickets if t.area == area_id]

    def choices_for(self, key: str) -> list[Ticket]:
        """The tickets a row may be switched to."""
        if key.startswith("s"):
            line = self._seats.get(int(key[1:]))
            return self.tickets_for_category(line.pick.category) if line else []
        area_id = int(key[1:].split(":")[0])
        return self.tickets_for_area(area_id)

    # -- seats --------------------------------------------------------------------------

    def set_seats(self, picks: Iterable[SeatPick]) -> list[int]:
        """The cart's seats are now `picks` (the map's selection); seats already in keep
        their ticket. Returns seat ids that have no ticket on sale (left out)."""
        new: dict[int, _SeatLine] = {}
        unsellable = []
        for pick in picks:
            if pick.seat_id in self._seats:
                new[pick.seat_id] = self._seats[pick.seat_id]
                continue
            tickets = self.tickets_for_category(pick.category)
            if not tickets:
                unsellable.append(pick.seat_id)
                continue
            new[pick.seat_id] = _SeatLine(pick, tickets[0].id)
        self._seats = new
        return unsellable

    def seat_ids(self) -> list[int]:
        return list(self._seats)

    def set_ticket(self, key: str, ticket_id: int) -> None:
        """Switch a row to another ticket of the same category (or GA area)."""
        ticket = self.ticket(ticket_id)
        if key.startswith("s"):
            line = self._seats.get(int(key[1:]))
            if line is None:
                raise CartError("That seat is no longer in the cart.")
            if ticket.category != line.pick.category or ticket.area is not None:
                raise CartError(f"{ticket.name} is not a ticket for {line.pick.label}.")
            line.ticket_id = ticket_id
            return
        area_id, old_ticket = (int(x) for x in key[1:].split(":"))
        if ticket.area != area_id:
            raise CartError(f"{ticket.name} is not a ticket for this standing area.")
        quantity = self._areas.pop((area_id, old_ticket), 0)
        if quantity:
            self._areas[(area_id, ticket_id)] = self._areas.get((area_id, ticket_id), 0) + quantity

    def cycle_ticket(self, key: str) -> str:
        """The next ticket type for a row (Adult -> Child -> ...); returns the row's new key."""
        choices = self.choices_for(key)
        if len(choices) < 2:
            return key
        current = self.row_ticket(key)
        ids = [t.id for t in choices]
        nxt = ids[(ids.index(current) + 1) % len(ids)] if current in ids else ids[0]
        self.set_ticket(key, nxt)
        if key.startswith("a"):
            return f"a{key[1:].split(':')[0]}:{nxt}"
        return key

    def row_ticket(self, key: str) -> int | None:
        if key.startswith("s"):
            line = self._seats.get(int(key[1:]))
            return line.ticket_id if line else None
        return int(key.split(":")[1])

    # -- GA areas -----------------------------------------------------------------------

    def set_area_quantity(self, area_id: int, ticket_id: int, quantity: int) -> None:
        ticket = self.ticket(ticket_id)
        if ticket.area != area_id:
            raise CartError(f"{ticket.name} does not sell places in this area.")
        if quantity < 0:
            raise CartError("A quantity cannot be negative.")
        if ticket.max_per_booking and quantity > ticket.max_per_booking:
            raise CartError(f"At most {ticket.max_per_booking} {ticket.name} tickets per sale.")
        if quantity == 0:
            self._areas.pop((area_id, ticket_id), None)
        else:
            self._areas[(area_id, ticket_id)] = quantity

    def area_quantity(self, area_id: int, ticket_id: int | None = None) -> int:
        return sum(
            q
            for (a, t), q in self._areas.items()
            if a == area_id and (ticket_id is None or t == ticket_id)
        )

    def area_quantities(self) -> dict[int, int]:
        """Places per area (all tickets together): what the hold asks for."""
        out: dict[int, int] = {}
        for (area_id, _t), quantity in self._areas.items():
            out[area_id] = out.get(area_id, 0) + quantity
        return out

    def remove(self, key: str) -> None:
        if key.startswith("s"):
            self._seats.pop(int(key[1:]), None)
        else:
            area_id, ticket_id = (int(x) for x in key[1:].split(":"))
            self._areas.pop((area_id, ticket_id), None)

    def clear(self) -> None:
        self._seats.clear()
        self._areas.clear()
        self._overrides.clear()
        self.voucher = None

    # -- voucher ------------------------------------------------------------------------

    def set_voucher(self, voucher: Voucher | None) -> None:
        self.voucher = voucher

    # -- pricing ------------------------------------------------------------------------

    def _inputs(self) -> list[tuple[CartRow, LineInput]]:
        out = []
        for seat_id, line in self._seats.items():
            ticket = self.ticket(line.ticket_id)
            out.append(
                (
                    _row(f"s{seat_id}", SEAT, line.pick.label, ticket, 1, seat_id=seat_id),
                    LineInput(
                        unit_price=ticket.money,
                        tax_rate=ticket.tax_rate,
                        key=f"s{seat_id}",
                        ticket_id=str(ticket.id),
                    ),
                )
            )
        for (area_id, ticket_id), quantity in self._areas.items():
            ticket = self.ticket(ticket_id)
            label = self.area_names.get(area_id, f"Standing area {area_id}")
            key = f"a{area_id}:{ticket_id}"
            out.append(
                (
                    _row(key, AREA, label, ticket, quantity, area_id=area_id),
                    LineInput(
                        unit_price=ticket.money,
                        tax_rate=ticket.tax_rate,
                        quantity=quantity,
                        key=key,
                        ticket_id=str(ticket.id),
                    ),
                )
            )
        return out

    def listed_breakdown(self) -> PriceBreakdown:
        """The cart at its listed prices (voucher included), before any override: what
        the server asks for each ticket."""
        return compute_breakdown(
            [line for _row, line in self._inputs()], currency=self.currency, voucher=self.voucher
        )

    def breakdown(self) -> PriceBreakdown:
        """One priced line per ticket (a GA row of 4 is 4 lines), in cart order, at the
        overridden prices where a supervisor changed them."""
        listed = self.listed_breakdown()
        prices = {}
        for key, lines in self._lines_by_key(listed).items():
            override = self._overrides.get(key)
            if override is None:
                continue
            if [p.gross for p in lines] != [x.listed for x in override.lines]:
                # approved against other listed prices (ticket, quantity, voucher changed)
                del self._overrides[key]
                continue
            prices.update({p.line_no: x.price for p, x in zip(lines, override.lines, strict=True)})
        for key in set(self._overrides) - {p.key for p in listed.ticket_lines()}:
            del self._overrides[key]  # the row left the cart
        return override_prices(listed, prices) if prices else listed

    @staticmethod
    def _lines_by_key(breakdown: PriceBreakdown) -> dict[str, list[PricedLine]]:
        by_key: dict[str, list[PricedLine]] = {}
        for line in breakdown.ticket_lines():
            by_key.setdefault(line.key or "", []).append(line)
        return by_key

    # -- supervisor's overrides -----------------------------------------------------------

    def listed_lines(self, key: str) -> list[Money]:
        """The listed price of each ticket of a row (voucher included), in order."""
        return [p.gross for p in self._lines_by_key(self.listed_breakdown()).get(key, [])]

    def set_override(self, key: str, override: RowOverride | None) -> None:
        """A row's prices changed by a supervisor (None: back to the listed prices)."""
        if override is None:
            self._overrides.pop(key, None)
            return
        if [x.listed for x in override.lines] != self.listed_lines(key):
            raise CartError("The row changed meanwhile; change its price again.")
        self._overrides[key] = override

    def override(self, key: str) -> RowOverride | None:
        self.breakdown()  # drops overrides that no longer apply
        return self._overrides.get(key)

    def rows(self) -> list[CartRow]:
        inputs = self._inputs()
        if not inputs:
            return []
        by_key = self._lines_by_key(self.breakdown())
        out = []
        for row, _line in inputs:
            priced = by_key.get(row.key, [])
            discount = sum((p.discount for p in priced), Money.zero(self.currency))
            amount = sum((p.gross for p in priced), Money.zero(self.currency))
            out.append(_replace_amounts(row, discount, amount, self._overrides.get(row.key)))
        return out

    def totals(self) -> CartTotals:
        zero = Money.zero(self.currency)
        if not self._seats and not self._areas:
            return CartTotals(self.currency, 0, zero, zero, zero, zero)
        breakdown = self.breakdown()
        t = breakdown.totals
        return CartTotals(
            self.currency, len(breakdown.ticket_lines()), t.subtotal, t.discount, t.gross, t.tax
        )

    @property
    def empty(self) -> bool:
        return not self._seats and not self._areas


def _row(
    key: str,
    kind: str,
    label: str,
    ticket: Ticket,
    quantity: int,
    *,
    seat_id: int | None = None,
    area_id: int | None = None,
) -> CartRow:
    zero = Money.zero(ticket.currency)
    return CartRow(
        key=key,
        kind=kind,
        label=label,
        ticket_id=ticket.id,
        ticket_name=ticket.name,
        quantity=quantity,
        unit_price=ticket.money,
        discount=zero,
        amount=ticket.money * quantity,
        seat_id=seat_id,
        area_id=area_id,
    )


def _replace_amounts(
    row: CartRow, discount: Money, amount: Money, override: RowOverride | None
) -> CartRow:
    from dataclasses import replace

    return replace(row, discount=discount, amount=amount, override=override)


def quick_cash(total: Money, *, count: int = 3) -> list[Money]:
    """Amounts a customer is likely to hand over for `total`, above it: the next round
    figures (5, 10, 20, 50, 100, ...), at most `count` of them."""
    if not total.is_positive():
        return []
    steps = (Decimal(5), Decimal(10), Decimal(20), Decimal(50), Decimal(100), Decimal(200))
    found: list[Decimal] = []
    for step in steps:
        value = (total.amount / step).to_integral_value(rounding="ROUND_CEILING") * step
        if value > total.amount and value not in found:
            found.append(value)
        if len(found) == count:
            break
    return [Money(v, total.currency) for v in found]
