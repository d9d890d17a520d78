"""Printing through Qt: every window prints with a `PrintController` (see
docs/printing.md). The PDFs themselves come from `enturf_pos.services.printing`."""

from enturf_pos.ui.printing.controller import PrintController, PrintJob, PrintResult
from enturf_pos.ui.printing.settings import PrinterSettings, PrintTarget, TargetKind

__all__ = [
    "PrintController",
    "PrintJob",
    "PrintResult",
    "PrintTarget",
    "PrinterSettings",
    "TargetKind",
]
