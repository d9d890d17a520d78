"""Runs one card sale of a counter in its own process, for the crash tests.

    python tests/pos/card_child.py  < {"data_dir", "secrets": {...}, "event", "seats"}

The secrets come on stdin and go to an in-memory keyring. The reader approves by itself
(the parent sets the simulator's reader to auto-approve). `ENTURF_POS_KILL_AT` names the
point where the process SIGKILLs itself (`enturf_pos.services.card_payments`). Prints the
outcome as JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/pos: card_support
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the support package


def main() -> int:
    import keyring
    from support.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    from enturf_pos.config import PosConfig
    from enturf_pos.services import card_payments, counter_selectors
    from enturf_pos.services.cart_service import Cart, SeatPick
    from enturf_pos.services.pos_context import open_context
    from enturf_pos.services.secret_store import Secret

    order = json.loads(sys.stdin.read())
    ctx = open_context(PosConfig(data_dir=Path(order["data_dir"])))
    for name, value in order["secrets"].items():
        ctx.secrets.set(Secret(name), value)
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
