"""The version of the sync wire format, and which counters a server serves.

The wire format is what `ops`, `feed` and `results` define: the push ops a counter sends
and the change-feed entities it reads. It changes far less often than the program: a
counter release that only changes screens keeps the wire version, and a server serves
every counter whose wire version lies in ``MIN_WIRE_VERSION..WIRE_VERSION``.

A counter sends its wire version with every request (header ``X-Enturf-Wire``); the sync
endpoints refuse one they cannot serve with HTTP 426 and code ``wire_version_unsupported``
(details: the counter's version and the range served). A counter without the header
predates it and speaks version 1. The server also publishes its range at
``GET /api/v1/counter-version/``, which the counter reads at login.
"""

from __future__ import annotations

WIRE_VERSION = 1  # the format this code speaks (bump it when ops or feed entities change)
MIN_WIRE_VERSION = 1  # the oldest counter format a server of this code still serves
HEADER = "X-Enturf-Wire"
UNSUPPORTED = "wire_version_unsupported"  # the error code of a refusal


def parse(value: str | None) -> int | None:
    """A wire version as a header carries it: absent means 1 (a counter from before the
    header); anything but a positive integer is None (refused as malformed)."""
    if value is None or not value.strip():
        return 1
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 6:  # not "²" nor "٣"
        return None
    number = int(text)
    return number if number >= 1 else None


def served(
    counter_wire: int, *, newest: int = WIRE_VERSION, oldest: int = MIN_WIRE_VERSION
) -> bool:
    """Whether a server speaking `newest` and still serving `oldest` can serve a counter
    speaking `counter_wire` (a counter newer than the server is not: the server cannot
    read ops it does not know)."""
    return oldest <= counter_wire <= newest


def refusal(counter_wire: int, *, newest: int, oldest: int) -> str:
    """Why a counter cannot sync with a server, in words for the cashier ("" if it can)."""
    if served(counter_wire, newest=newest, oldest=oldest):
        return ""
    if counter_wire < oldest:
        return (
            f"This counter speaks sync format {counter_wire}; the server accepts "
            f"{_range(oldest, newest)}. Update this counter."
        )
    return (
        f"This counter speaks sync format {counter_wire}, newer than the server's "
        f"({_range(oldest, newest)}). Update the server, or install the counter version "
        "the server publishes."
    )


def _range(oldest: int, newest: int) -> str:
    return f"format {oldest}" if oldest == newest else f"formats {oldest} to {newest}"
