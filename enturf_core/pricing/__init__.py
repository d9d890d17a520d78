"""Tax-inclusive pricing: the one place where server and POS compute booking totals.

Both sides call :func:`compute_breakdown` with the same inputs and get the same
:class:`PriceBreakdown`, cent for cent. The rules (also in ``docs/money-and-pricing.md``):

* Prices are tax-inclusive. Every amount is a whole number of minor units.
* One output line per ticket: an input line with ``quantity=3`` becomes three ticket lines
  with the same key, so breakdown lines map one-to-one onto booking lines and a single
  ticket can be refunded on its own.
* A voucher's total discount is computed once (``percent`` of the eligible tickets' list
  prices, rounded ROUND_HALF_UP; or the fixed amount, capped at the eligible total) and
  spread over the eligible ticket lines in proportion to their list prices with
  :meth:`Money.allocate`, so the line discounts add up to the voucher's discount exactly
  and no line goes below zero. Vouchers never discount fees.
* Fees are their own lines (kind ``fee``) with their own tax rate: one per ticket
  (``for_line`` points at the ticket line) or one per booking.
* Per line: ``gross = price - discount`` (what the customer pays for it, tax included),
  ``tax = round(gross * rate / (100 + rate))`` (ROUND_HALF_UP, per line) and
  ``net = gross - tax``. The tax summary per rate and the totals are plain sums of the
  lines, so they never drift from the lines by a cent.

Modules (import from the one that holds the thing; nothing is re-exported here):

* ``tax``: ``tax_of_gross``, ``rate_key``, :class:`BreakdownError` and the checks on
  tax rates and prices that every module applies.
* ``terms``: what a booking is priced from: :class:`LineInput`, :class:`BookingFee`,
  :class:`Voucher`.
* ``breakdown``: :func:`compute_breakdown` and its result, :class:`PriceBreakdown`
  (lines, tax summary, totals).
* ``overrides``: a supervisor's price override (``manual_price``, ``override_prices``).
* ``refunds``: how much may be refunded (``refundable``, ``refundable_for_lines``).
"""
