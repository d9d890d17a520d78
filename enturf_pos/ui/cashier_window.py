"""The counter window of a cashier (objectName ``cashierWindow``); see `ui/cashier/`."""

from enturf_pos.ui.cashier.window import CashierWindow

__all__ = ["CashierWindow"]
