"""The door window's looks: a verdict that can be read from a few metres, in the verdict's
colour; the mode pill; large figures. Colours from `enturf_core.palette`."""

from enturf_pos.ui.theme import themed

DOOR_STYLE = themed("""
QFrame#doorBar { background: ${SURFACE}; border: 1px solid ${BORDER}; border-radius: 10px; }
QLabel#doorBarCaption { color: ${TEXT_SECONDARY}; font-size: 14px; }
QComboBox { min-height: 40px; font-size: 16px; padding: 0 8px; }
QLineEdit#scanInput { min-height: 56px; font-size: 22px; }
QLabel#doorModeStatus {
    font-size: 15px; font-weight: 600; padding: 8px 14px; border-radius: 16px;
}
QLabel#doorModeStatus[state="online"] { color: ${SUCCESS_TEXT}; background: ${SUCCESS_BACK}; }
QLabel#doorModeStatus[state="offline"] { color: ${OFFLINE_TEXT}; background: ${OFFLINE_BACK}; }
QPushButton[kind="true"] { min-height: 40px; padding: 0 16px; }
QPushButton[kind="true"]:checked {
    background: ${NAVY}; color: ${WHITE}; border-color: ${NAVY}; font-weight: 600;
}
QFrame#scanVerdict { border-radius: 14px; background: ${VERDICT_WAITING}; }
QFrame#scanVerdict[colour="green"] { background: ${VERDICT_GREEN}; }
QFrame#scanVerdict[colour="amber"] { background: ${VERDICT_AMBER}; }
QFrame#scanVerdict[colour="red"] { background: ${VERDICT_RED}; }
QFrame#scanVerdict QLabel { color: ${NAVY}; background: transparent; }
QFrame#scanVerdict[colour="green"] QLabel, QFrame#scanVerdict[colour="red"] QLabel {
    color: ${WHITE};
}
QFrame#scanVerdict[colour="amber"] QLabel { color: ${VERDICT_ON_AMBER}; }
QLabel#scanWords { font-size: 64px; font-weight: 700; }
QLabel#scanReason { font-size: 26px; font-weight: 600; }
QLabel#scanPlace { font-size: 30px; font-weight: 600; }
QLabel#scanTicket, QLabel#scanPrevious { font-size: 22px; }
QLabel#scanMeta { font-size: 15px; }
QFrame#checkinCounts { background: ${SURFACE}; border: 1px solid ${BORDER}; border-radius: 10px; }
QLabel[figure="true"] { font-size: 34px; font-weight: 700; color: ${NAVY}; }
QLabel[figureCaption="true"] { font-size: 14px; color: ${TEXT_SECONDARY}; }
QLabel#doorMessage {
    border-radius: 6px; padding: 8px 12px; color: ${ERROR_TEXT}; background: ${ERROR_BACK};
    border: 1px solid ${ERROR_EDGE};
}
QTableView#recentScansTable { font-size: 15px; }
""")
