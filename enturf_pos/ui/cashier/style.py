"""The cashier window's looks, on top of the app's style sheet: large touch targets,
a strong total, clear error and success colours. Colours from `enturf_core.palette`."""

from enturf_pos.ui.theme import themed

CASHIER_STYLE = themed("""
QFrame#salePane {
    background: ${SURFACE};
    border: 1px solid ${BORDER};
    border-radius: 10px;
}
QLabel#eventTitle { font-size: 24px; font-weight: 600; color: ${NAVY}; }
QLabel#eventInfo { font-size: 15px; color: ${TEXT_SECONDARY}; }
QLabel#sellingMode {
    font-size: 14px; font-weight: 600; padding: 6px 12px; border-radius: 14px;
}
QLabel#sellingMode[state="online"] { color: ${SUCCESS_TEXT}; background: ${SUCCESS_BACK}; }
QLabel#sellingMode[state="offline"] { color: ${OFFLINE_TEXT}; background: ${OFFLINE_BACK}; }
QTableView#eventList { font-size: 15px; }
QTableView#cartTable { font-size: 16px; }
QLabel#cartEmpty, QLabel[hint="true"] { color: ${TEXT_HINT}; font-size: 15px; }
QLabel#cartTotal { font-size: 34px; font-weight: 700; color: ${NAVY}; }
QLabel#cartTotalCaption { font-size: 20px; font-weight: 600; color: ${NAVY}; }
QLabel#holdCountdown {
    font-size: 15px; font-weight: 600; padding: 4px 10px; border-radius: 12px;
}
QLabel#holdCountdown[state="held"] { color: ${BLUE_DARK}; background: ${INFO_BACK}; }
QLabel#holdCountdown[state="short"] { color: ${ERROR_TEXT}; background: ${ERROR_BACK}; }
QLabel#holdCountdown[state="offline"] { color: ${OFFLINE_TEXT}; background: ${OFFLINE_BACK}; }
QLabel#cashierMessage {
    border-radius: 6px; padding: 10px 12px; color: ${NAVY}; background: ${INFO_BACK};
}
QLabel#cashierMessage[error="true"] {
    color: ${ERROR_TEXT}; background: ${ERROR_BACK}; border: 1px solid ${ERROR_EDGE};
}
QLabel#saleReceipt {
    border-radius: 8px; padding: 12px 14px; font-size: 17px;
    color: ${SUCCESS_TEXT}; background: ${SUCCESS_BACK}; border: 1px solid ${SUCCESS_EDGE};
}
QLabel#voucherNote[ok="true"] { color: ${SUCCESS_TEXT}; }
QLabel#voucherNote[ok="false"] { color: ${ERROR_TEXT}; }
QFrame#cashPanel {
    background: ${CASH_PANEL}; border: 1px solid ${CASH_PANEL_EDGE}; border-radius: 8px;
}
QLineEdit#cashTendered { font-size: 26px; min-height: 56px; font-weight: 600; }
QLabel#changeDue { font-size: 26px; font-weight: 700; color: ${NAVY}; }
QLabel#changeDue[state="ok"] { color: ${SUCCESS}; }
QLabel#changeDue[state="short"] { color: ${DANGER}; font-size: 18px; }
QPushButton[big="true"] { min-height: 64px; font-size: 20px; }
QPushButton#exactCashButton, QPushButton#quickCash1, QPushButton#quickCash2,
QPushButton#quickCash3 { min-height: 56px; padding: 0 10px; font-size: 18px; }
QScrollArea#saleScroll, QWidget#saleBody { background: transparent; }
QFrame#salePane QPushButton { padding: 0 10px; }
QPushButton#payCashButton, QPushButton#completeSaleButton { font-weight: 700; }
QSpinBox#seatCount, QSpinBox#gaQuantity { font-size: 18px; min-height: 44px; }
QComboBox#gaTicket { font-size: 16px; }
""")
