"""The buyer's name and e-mail in the payment area: one optional field (objectName
``buyerEdit``) after the cash received in the Tab order (Tab passes over it, Enter in it
completes a cash sale). Parsed and checked by `services.buyer.parse_buyer`."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from enturf_pos.services.sales.buyer import Buyer, parse_buyer
from enturf_pos.ui.form_widgets import message_label, show_message


class BuyerField(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("buyerField")
        self.edit = QLineEdit(objectName="buyerEdit")
        self.edit.setAccessibleName("Buyer's name and e-mail (optional)")
        self.edit.setPlaceholderText("Buyer: name and/or e-mail (optional, Tab to skip)")
        self.edit.setClearButtonEnabled(True)
        self.message = message_label("buyerMessage")
        caption = QLabel("Buyer", objectName="buyerCaption")
        caption.setBuddy(self.edit)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(caption)
        row.addWidget(self.edit, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.edit.textEdited.connect(lambda _t: show_message(self.message, ""))

    def buyer(self) -> Buyer | None:
        """The buyer typed (None when the field is empty); an error shows in the field and
        answers None too: check `valid()` first."""
        parsed = parse_buyer(self.edit.text())
        if isinstance(parsed, str):
            return None
        return None if parsed.empty else parsed

    def valid(self) -> bool:
        """Whether the field holds a usable buyer (or nothing); says what to fix if not."""
        parsed = parse_buyer(self.edit.text())
        if isinstance(parsed, str):
            show_message(self.message, parsed)
            self.edit.setFocus()
            return False
        return True

    def clear(self) -> None:
        self.edit.clear()
        show_message(self.message, "")
