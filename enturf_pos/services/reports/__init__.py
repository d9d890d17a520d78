"""The back office's reports (no Qt): the server's aggregate reports fetched and kept
for offline (`report_source`), the choices of the filters (`report_choices`), reports as
typed tables (`report_tables`), what this counter sold since (`counter_since`), and the
exports: CSV and XLSX (`report_export`), PDF (`report_pdf`), the accounting CSV
(`accounting_export`). See docs/reports.md, "At the counter"."""
