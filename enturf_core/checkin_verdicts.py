"""What a door scan can answer, in one place for the server (online scans, pushed offline
scans) and the door window (offline verdicts): a code, its plain words, and its colour.

Green lets the person through, amber is "already in" (look again: a second person with a
copy of the ticket, or a stamp missed on the way out), red refuses.
"""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    ADMITTED = "admitted"  # entry recorded
    EXITED = "exited"  # exit recorded (lists with exit scanning)
    ALREADY_IN = "already_in"  # an entry without an exit since (no re-entry)
    NOT_IN = "not_in"  # an exit scan of a ticket that is not inside
    WRONG_LIST = "wrong_list"  # the ticket is not admitted by this list (its ticket type)
    WRONG_GATE = "wrong_gate"  # the list does not use this gate
    WRONG_EVENT = "wrong_event"  # a genuine ticket of another event
    NOT_YET_VALID = "not_yet_valid"  # before the list's time window
    EXPIRED = "expired"  # after the list's time window
    REFUNDED = "refunded"
    CANCELLED = "cancelled"
    NOT_PAID = "not_paid"
    UNKNOWN = "unknown"  # not a genuine code: malformed, forged, tampered, unknown key


class Colour(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


WORDS: dict[Verdict, str] = {
    Verdict.ADMITTED: "Welcome in",
    Verdict.EXITED: "Exit recorded",
    Verdict.ALREADY_IN: "Already in",
    Verdict.NOT_IN: "This ticket is not inside",
    Verdict.WRONG_LIST: "Not valid at this entrance",
    Verdict.WRONG_GATE: "Not valid at this gate",
    Verdict.WRONG_EVENT: "Ticket for another event",
    Verdict.NOT_YET_VALID: "Not valid yet",
    Verdict.EXPIRED: "No longer valid",
    Verdict.REFUNDED: "Ticket refunded",
    Verdict.CANCELLED: "Ticket cancelled",
    Verdict.NOT_PAID: "Booking not paid",
    Verdict.UNKNOWN: "Not a valid ticket",
}

COLOURS: dict[Verdict, Colour] = {
    Verdict.ADMITTED: Colour.GREEN,
    Verdict.EXITED: Colour.GREEN,
    Verdict.ALREADY_IN: Colour.AMBER,
}


def colour_of(verdict: Verdict | str) -> Colour:
    return COLOURS.get(Verdict(verdict), Colour.RED)


def lets_through(verdict: Verdict | str) -> bool:
    return colour_of(verdict) is Colour.GREEN
