"""The cashier's counter window and its parts: programme, seat map, cart, cash payment.

* :mod:`window` - `CashierWindow` (objectName ``cashierWindow``): the whole sale flow.
* :mod:`programme_panel` - today's and upcoming events, searchable (``eventList``).
* :mod:`cart_panel` - the cart table with a ticket-type delegate, GA places, voucher,
  totals and the hold's countdown.
* :mod:`cash_panel` - amount tendered, quick-cash buttons, change due, complete.
* :mod:`live_event` - the open event's hold on the server and its availability poll,
  off the UI thread.

See docs/pos.md ("Selling at the counter") and docs/ui-automation.md.
"""
