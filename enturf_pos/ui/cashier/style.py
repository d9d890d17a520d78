"""The cashier window's looks, on top of the app's style sheet: large touch targets,
a strong total, clear error and success colours."""

CASHIER_STYLE = """
QFrame#salePane {
    background: #ffffff;
    border: 1px solid #d5d9e0;
    border-radius: 10px;
}
QLabel#eventTitle { font-size: 24px; font-weight: 600; color: #12263f; }
QLabel#eventInfo { font-size: 15px; color: #4a5361; }
QLabel#sellingMode {
    font-size: 14px; font-weight: 600; padding: 6px 12px; border-radius: 14px;
}
QLabel#sellingMode[state="online"] { color: #0f4d2a; background: #e6f5ec; }
QLabel#sellingMode[state="offline"] { color: #7a2e0e; background: #fdeee3; }
QTableView#eventList { font-size: 15px; }
QTableView#cartTable { font-size: 16px; }
QLabel#cartEmpty, QLabel[hint="true"] { color: #5b6472; font-size: 15px; }
QLabel#cartTotal { font-size: 34px; font-weight: 700; color: #12263f; }
QLabel#cartTotalCaption { font-size: 20px; font-weight: 600; color: #12263f; }
QLabel#holdCountdown {
    font-size: 15px; font-weight: 600; padding: 4px 10px; border-radius: 12px;
}
QLabel#holdCountdown[state="held"] { color: #174a96; background: #e8f0fc; }
QLabel#holdCountdown[state="short"] { color: #8a1414; background: #fdecec; }
QLabel#holdCountdown[state="offline"] { color: #7a2e0e; background: #fdeee3; }
QLabel#cashierMessage {
    border-radius: 6px; padding: 10px 12px; color: #12263f; background: #e8f0fc;
}
QLabel#cashierMessage[error="true"] {
    color: #8a1414; background: #fdecec; border: 1px solid #e3a5a5;
}
QLabel#saleReceipt {
    border-radius: 8px; padding: 12px 14px; font-size: 17px;
    color: #0f4d2a; background: #e6f5ec; border: 1px solid #9fd3b2;
}
QLabel#voucherNote[ok="true"] { color: #0f4d2a; }
QLabel#voucherNote[ok="false"] { color: #8a1414; }
QFrame#cashPanel {
    background: #f4f7fb; border: 1px solid #c9d3e1; border-radius: 8px;
}
QLineEdit#cashTendered { font-size: 26px; min-height: 56px; font-weight: 600; }
QLabel#changeDue { font-size: 26px; font-weight: 700; color: #12263f; }
QLabel#changeDue[state="ok"] { color: #1a7f37; }
QLabel#changeDue[state="short"] { color: #b42318; font-size: 18px; }
QPushButton[big="true"] { min-height: 64px; font-size: 20px; }
QPushButton#exactCashButton, QPushButton#quickCash1, QPushButton#quickCash2,
QPushButton#quickCash3 { min-height: 56px; padding: 0 10px; font-size: 18px; }
QScrollArea#saleScroll, QWidget#saleBody { background: transparent; }
QFrame#salePane QPushButton { padding: 0 10px; }
QPushButton#payCashButton, QPushButton#completeSaleButton { font-weight: 700; }
QSpinBox#seatCount, QSpinBox#gaQuantity { font-size: 18px; min-height: 44px; }
QComboBox#gaTicket { font-size: 16px; }
"""
