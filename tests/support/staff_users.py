"""Staff users of any role on the live test server (unique usernames: the server's
database is shared by the whole session)."""

from __future__ import annotations

import uuid

from support.server_process import ServerProcess

PASSWORD = "Staff-pass-4821"


def new_staff(server: ServerProcess, role: str, *, first_name: str = "Test") -> str:
    """A new active staff user with `role` and `PASSWORD`; their username."""
    username = f"{role.replace('_', '-')}-{uuid.uuid4().hex[:8]}"
    server.shell(
        "from enturf_server.accounts.roles import Role\n"
        "from enturf_server.accounts.services import create_user\n"
        f"create_user(username={username!r}, password={PASSWORD!r}, role=Role({role!r}), "
        f"first_name={first_name!r}, last_name={role.title()!r})"
    )
    return username
