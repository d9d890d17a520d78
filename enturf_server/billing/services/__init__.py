"""Billing services: every write to vouchers, payments and refunds goes through here.

Modules: `vouchers`, `voucher_bulk` (many codes at once, in a batch), `booking_pricing` (fee and voucher in the booking transaction, plugged
into `sales.pricing_extras`), `payments` (counter and online payments, becoming paid),
`webhooks`, `refunds`, `gateway` (the server's gateway client), `documents` (where
ticketing and invoicing register what a paid booking or a refund gets).
"""
