"""The open event, live: the cart's hold on the server and the availability poll.

Both run on the task runner (never on the UI thread) and report back by signal:

* the hold follows the cart: `want(seats, areas)` records what the cart holds now; one
  request runs at a time, and when it answers, the next one carries whatever the cart
  became meanwhile (so fast clicking never races two requests);
* every `POLL_MS` while an event is open and the counter is online,
  `GET /availability/?since=<version>` brings the seats others picked or sold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from enturf_pos.services.sales import hold_service
from enturf_pos.services.sales.hold_service import Availability, HoldResult, HoldState
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui.task_runner import TaskRunner

POLL_MS = 2000


class LiveEvent(QObject):
    holdChanged = Signal(object)  # HoldState | None
    holdRefused = Signal(object)  # HoldResult: something was taken, or the server said no
    availabilityChanged = Signal(object)  # Availability

    def __init__(self, ctx: PosContext, runner: TaskRunner, parent: QObject | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self._runner = runner
        self.event_id: int | None = None
        self.version: int | None = None
        self.hold: HoldState | None = None
        self.online = False
        self._wanted: tuple[tuple[int, ...], tuple[tuple[int, int], ...]] = ((), ())
        self._sent: tuple[tuple[int, ...], tuple[tuple[int, int], ...]] | None = None
        self._labels: dict[int, str] = {}
        # seats of a hold this counter gave back: free on its own map at once, whatever a
        # poll answered before the server had the release (until it says otherwise)
        self._released: set[int] = set()
        self._holding = False
        self._polling = False
        self._generation = 0  # answers for an event closed meanwhile are dropped
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll_now)

    # -- event -------------------------------------------------------------------------

    def open(self, event_id: int, version: int | None) -> None:
        self.close()
        self._released.clear()
        self.event_id, self.version = event_id, version
        self._generation += 1
        if self.online:
            self._timer.start()
            self.poll_now()

    def close(self) -> None:
        """Stop polling and give the hold back."""
        self._timer.stop()
        self.release()
        self.event_id = None
        self._generation += 1

    def set_online(self, online: bool) -> None:
        if online == self.online:
            return
        self.online = online
        if online and self.event_id is not None:
            self._timer.start()
            self.poll_now()
            self._send()
        elif not online:
            self._timer.stop()

    # -- hold --------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._holding

    @property
    def in_step(self) -> bool:
        """The server's hold is what the cart holds now."""
        return not self._holding and self._sent == self._wanted

    def want(
        self, seats: Sequence[int], areas: Mapping[int, int], labels: Mapping[int, str]
    ) -> None:
        self._wanted = (tuple(sorted(seats)), tuple(sorted((a, q) for a, q in areas.items() if q)))
        self._labels.update(labels)
        if self.online:
            self._send()

    def release(self) -> tuple[int, ...]:
        """Forget the hold here and release it on the server (in the background).
        Returns the seats it held: they are free again, also on this counter's map."""
        hold, self.hold = self.hold, None
        self._wanted, self._sent = ((), ()), None
        if hold is None:
            return ()
        ctx = self._ctx
        self._runner.run(lambda: hold_service.release_hold(ctx=ctx, hold_id=hold.id), _ignore)
        self._released.update(hold.seats)
        self.holdChanged.emit(None)
        return hold.seats

    def sold(self) -> None:
        """The sale used the hold: the server releases its rest; forget it here."""
        self.hold = None
        self._wanted, self._sent = ((), ()), None
        self.holdChanged.emit(None)

    def _send(self) -> None:
        if self._holding or self.event_id is None or self._sent == self._wanted:
            return
        if self.hold is None and not self._wanted[0] and not self._wanted[1]:
            self._sent = self._wanted
            return
        self._holding = True
        wanted, hold, event_id, ctx = self._wanted, self.hold, self.event_id, self._ctx
        labels = {s: self._labels.get(s, f"Seat {s}") for s in wanted[0]}
        generation = self._generation

        def work() -> HoldResult:
            return hold_service.sync_hold(
                ctx=ctx,
                event_id=event_id,
                hold=hold,
                seats=list(wanted[0]),
                areas=dict(wanted[1]),
                labels=labels,
            )

        self._runner.run(
            work, lambda r: self._held(r, wanted, generation), lambda _e: self._failed(generation)
        )

    def _held(self, result: HoldResult, wanted, generation: int) -> None:
        self._holding = False
        if generation != self._generation:
            if result.hold is not None:  # the event was closed meanwhile: give it back
                ctx, hold_id = self._ctx, result.hold.id
                self._runner.run(
                    lambda: hold_service.release_hold(ctx=ctx, hold_id=hold_id), _ignore
                )
            return
        self.hold = result.hold
        if result.ok:
            self._sent = wanted
            self.holdChanged.emit(self.hold)
            self._send()
            return
        self._sent = None
        self.holdChanged.emit(self.hold)
        if not result.reachable:
            return  # offline now: the window switches to the allocation
        self.holdRefused.emit(result)

    def _failed(self, generation: int) -> None:
        self._holding = False
        self._sent = None

    # -- availability ------------------------------------------------------------------

    def poll_now(self) -> None:
        if self._polling or self.event_id is None or not self.online:
            return
        self._polling = True
        ctx, event_id, since, generation = self._ctx, self.event_id, self.version, self._generation
        self._runner.run(
            lambda: hold_service.fetch_availability(ctx=ctx, event_id=event_id, since=since),
            lambda a: self._polled(a, generation),
            lambda _e: self._poll_failed(),
        )

    def _polled(self, answer: Availability, generation: int) -> None:
        self._polling = False
        if generation != self._generation or not answer.ok:
            return
        self.version = answer.version
        if self._released and answer.seats:
            # "held" for a seat we released is our own hold, answered before the server
            # had the release; any other status is news, and ends our say on the seat
            seats = dict(answer.seats)
            for seat_id in list(self._released):
                if seats.get(seat_id) == "held":
                    del seats[seat_id]
                elif seat_id in seats:
                    self._released.discard(seat_id)
            answer = replace(answer, seats=seats)
        self.availabilityChanged.emit(answer)

    def _poll_failed(self) -> None:
        self._polling = False


def _ignore(_result: object) -> None:
    pass
