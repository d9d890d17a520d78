"""`Authorization: Token <key>`: expiring, revocable tokens stored as digests."""

from django.db import connection
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from enturf_server.accounts.models import ApiToken, User, token_digest
from enturf_server.api.model_rows import RowReader

_TOKEN = RowReader(ApiToken, "t")
_USER = RowReader(User, "u")


def token_with_user(digest: str) -> ApiToken | None:
    """The token with this digest and its user, in one statement without ORM compilation
    (it runs on every authenticated request)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_TOKEN.columns(connection)}, {_USER.columns(connection)} "
            f"FROM {ApiToken._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id "
            "WHERE t.digest = %s",
            [digest],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    token = _TOKEN.build(row, 0, connection)
    token.user = _USER.build(row, _TOKEN.width, connection)
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
