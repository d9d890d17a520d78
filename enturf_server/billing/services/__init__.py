"""Billing services: every write to vouchers, payments and refunds goes through here.

Modules: `vouchers`, `booking_pricing` (fee and voucher in the booking transaction),
`payments` (counter and online payments, becoming paid), `webhooks`, `refunds`,
`gateway` (the server's gateway client), `documents` (invoices and ticket codes).
Nothing is imported here, so sales can import `booking_pricing` without a cycle.
"""
