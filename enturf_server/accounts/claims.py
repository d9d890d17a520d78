"""What a counter says about who did something, next to who the server authenticated.

The user recorded as doing something pushed from a counter is always the one whose
token authenticated the push (with the device's token): never a name in the body. A
counter may name someone else (a sale made offline by the cashier before, pushed later
under the next cashier's login); that name is kept only as an unverified note, and only
when it names an active cashier or manager.
"""

from __future__ import annotations

from dataclasses import dataclass

from enturf_server.accounts.models import User
from enturf_server.accounts.roles import is_staff_role


@dataclass(frozen=True)
class Claim:
    note: str = ""  # the claimed username, kept as an unverified note ("" if none)
    refused: str | None = None  # a claimed name that is no active staff member

    def audit(self, what: str) -> dict[str, str | None]:
        """Audit details: `claimed_<what>` and `claimed_<what>_refused`."""
        return {f"claimed_{what}": self.note or None, f"claimed_{what}_refused": self.refused}


def claimed_name(name: str | None, actor: User) -> Claim:
    """The claim a counter made with `name` when `actor` pushed it. Never an error: what
    the counter did stands, under the authenticated user."""
    name = (name or "").strip()
    if not name or name == actor.username:
        return Claim()
    user = User.objects.filter(username=name, is_active=True).first()
    if user is None or not is_staff_role(user):
        return Claim(refused=name)
    return Claim(note=name)
