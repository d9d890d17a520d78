"""The buyer's name and e-mail typed at the counter in one field (optional).

"Ada Lovelace ada@example.org", "Ada Lovelace <ada@example.org>", "ada@example.org" or
just "Ada Lovelace": the word with an "@" is the e-mail, the rest is the name. The e-mail
is checked here with a rule no looser than the server's (Django's EmailValidator), so a
sale is never refused by the server for its buyer's address."""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME_MAX = 200  # Booking.buyer_name on the server
EMAIL_MAX = 254  # Booking.buyer_email (EmailField)

_ATOM = r"[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL = re.compile(rf"^{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}$")


@dataclass(frozen=True, slots=True)
class Buyer:
    name: str = ""
    email: str = ""

    @property
    def empty(self) -> bool:
        return not (self.name or self.email)

    def as_json(self) -> dict[str, str]:
        """The `counter_sale` booking's buyer keys (only those given)."""
        out = {}
        if self.name:
            out["buyer_name"] = self.name
        if self.email:
            out["buyer_email"] = self.email
        return out


def parse_buyer(text: str) -> Buyer | str:
    """The buyer typed in the one field, or what is wrong with it."""
    words = (text or "").replace("<", " ").replace(">", " ").replace(",", " ").split()
    emails = [w for w in words if "@" in w]
    if len(emails) > 1:
        return "Type one e-mail address for the buyer."
    email = emails[0].strip(".;") if emails else ""
    if email and (len(email) > EMAIL_MAX or not EMAIL.match(email)):
        return f"{email!r} is not an e-mail address (like name@example.com)."
    name = " ".join(w for w in words if "@" not in w)
    if len(name) > NAME_MAX:
        return f"The buyer's name is too long: at most {NAME_MAX} characters."
    return Buyer(name=name, email=email.lower() if email else "")
