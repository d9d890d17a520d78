"""`Authorization: Token <key>`: expiring, revocable tokens stored as digests."""

from django.db import connection
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from enturf_server.accounts.models import ApiToken, User, token_digest
from enturf_server.api.model_rows import RowReader, read_one

_TOKEN = RowReader(ApiToken, "t")
_USER = RowReader(User, "u")


def token_with_user(digest: str) -> ApiToken | None:
    """The token with this digest and its user, in one statement without ORM compilation
    (it runs on every authenticated request)."""
    found = read_one(
        connection,
        (_TOKEN, _USER),
        f"{ApiToken._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id",
        "t.digest = %s",
        [digest],
    )
    if found is None:
        return None
    token, token.user = found
    return token


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str):
        token = token_with_user(token_digest(key))
        if token is None:
            raise exceptions.AuthenticationFailed(
                "Invalid or revoked token; log in again.", code="token_invalid"
            )
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(
                "Your session has expired; log in again.", code="token_expired"
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                "This account is disabled.", code="account_disabled"
            )
        return token.user, token
