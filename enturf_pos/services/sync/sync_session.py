"""The server session sync needs, also after an offline login.

A cashier who logged in offline has no server token. When the server is back, sync logs
in again in the background with the password typed at login, which is held in this
process's memory for the session only (never written to disk or the keyring) and
forgotten at logout. The same happens when the server says the token expired (401).
If that login is refused (password changed, account disabled), sync stops and the
status bar asks the person to log out and in again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from enturf_pos.services.session import auth_service
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.session.secret_store import Secret

ACCOUNT_DISABLED = "account_disabled"  # the server's code: the user was deactivated


class LoginNeeded(Exception):
    """No usable server session and no way to open one without the person; `code`: the
    server's refusal of the login, when it refused one."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class Unreachable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class SessionCredentials:
    """Who is logged in at this counter; the password stays in memory only."""

    username: str
    _password: str = field(repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    refused: str | None = None  # why the last background login failed
    refused_code: str = ""  # the server's code for it (`ACCOUNT_DISABLED`...)

    def forget(self) -> None:
        self._password = ""

    def login(self, ctx: PosContext) -> str:
        """Log in online now; the new token (also in the secret store)."""
        with self._lock:
            if not self._password:
                raise LoginNeeded("Log in again to send and receive changes.")
            if self.refused:  # do not retry a refused password (and get throttled)
                raise LoginNeeded(self.refused, self.refused_code)
            result = auth_service.login(ctx=ctx, username=self.username, password=self._password)
            if result.ok:
                self.refused, self.refused_code = None, ""
                token = ctx.secrets.get(Secret.USER_TOKEN)
                if token:
                    return token
            if result.code == "unreachable":
                raise Unreachable(result.message)
            self.refused = (
                f"The server refused the login of {self.username}: {result.message} "
                "Log out and log in again to send and receive changes."
            )
            self.refused_code = str(result.code)
            raise LoginNeeded(self.refused, self.refused_code)


def ensure_token(ctx: PosContext, credentials: SessionCredentials | None) -> str:
    token = ctx.secrets.get(Secret.USER_TOKEN)
    if token:
        return token
    if credentials is None:
        raise LoginNeeded("Log in to send and receive changes.")
    return credentials.login(ctx)


def renew_token(ctx: PosContext, credentials: SessionCredentials | None) -> str:
    """The server refused the token (expired or revoked): drop it and log in again."""
    ctx.secrets.delete(Secret.USER_TOKEN)
    return ensure_token(ctx, credentials)
