"""Runs one card sale of a counter in its own process, for the crash tests.

    python tests/support/card_child.py  < {"data_dir", "secrets": {...}, "event", "seats"}

The secrets come on stdin and go to an in-memory keyring. The reader approves by itself
(the parent sets the simulator's reader to auto-approve). `ENTURF_POS_KILL_AT` names the
point where the process SIGKILLs itself (`enturf_pos.services.payments.card_payments`). Prints the
outcome as JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the support package


def main() -> int:
    from support.pos_child import open_child_context

    order = json.loads(sys.stdin.read())
    ctx = open_child_context(order)
    from enturf_pos.services.payments import card_payments
    from enturf_pos.services.sales import counter_selectors
    from enturf_pos.services.sales.cart_service import Cart, SeatPick

    event = counter_selectors.event_for_sale(ctx=ctx, event_id=order["event"])
    cart = Cart(event_id=event.id, tickets=event.tickets, area_names={})
    layout = event.layout
    cart.set_seats(
        [SeatPick(s, str(s), layout.seat(layout.index(s)).category) for s in order["seats"]]
    )
    step = card_payments.start_card_payment(ctx=ctx, cart=cart, card_amount=None, offline=False)
    while step.state == card_payments.WAITING:
        step = card_payments.wait_for_card(ctx=ctx, step=step, timeout=10)
    outcome = {"state": step.state, "message": step.message}
    if step.state == card_payments.APPROVED:
        done = card_payments.complete_card_sale(
            ctx=ctx,
            cart=cart,
            step=step,
            tendered=None,
            seller="cashier",
            hold_id=None,
            offline=False,
        )
        outcome.update(sale=str(done.sale.sale_id), captured=done.captured, message=done.message)
    print(json.dumps(outcome))
    ctx.close()
    return 0 if outcome.get("captured") else 1


if __name__ == "__main__":
    sys.exit(main())
