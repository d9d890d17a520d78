"""The cashier's counter window and its parts: programme, seat map, cart, cash payment.

* :mod:`window` - `CashierWindow` (objectName ``cashierWindow``): lays the panels out and
  connects them to the sale.
* :mod:`counter_sale` (and :mod:`sale_payment`) - `CounterSale`, the sale without a
  widget: cart, hold, tender, paying, offline; the panels talk to it through signals.
* :mod:`card_tender` / :mod:`card_panel` - a card payment's steps, and their panel.
* :mod:`seat_map_hookup` - the seat map kept to the sale.
* :mod:`programme_panel` - today's and upcoming events, searchable (``eventList``).
* :mod:`cart_panel` - the cart table with a ticket-type delegate, GA places, voucher,
  totals and the hold's countdown.
* :mod:`cash_panel` - amount tendered, quick-cash buttons, change due, complete.
* :mod:`live_event` - the open event's hold on the server and its availability poll,
  off the UI thread.

See docs/pos.md ("Selling at the counter") and docs/ui-automation.md.
"""
