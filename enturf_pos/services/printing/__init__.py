"""Printable documents of the counter (reportlab PDFs): receipts and tickets.

`documents` reads a local sale into plain dataclasses; `receipt_pdf` and `ticket_pdf`
turn them into PDF bytes. Nothing here imports Qt or Django.
"""
