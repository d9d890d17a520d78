"""The back-office window of an administrator (objectName ``managerWindow``); see `ui/manager/`."""

from enturf_pos.ui.manager.window import ManagerWindow

__all__ = ["ManagerWindow"]
