"""`Authorization: Token <key>`: expiring, revocable tokens stored as digests."""

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from enturf_server.accounts.models import ApiToken, token_digest


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str):
        try:
            token = ApiToken.objects.select_related("user").get(digest=token_digest(key))
        except ApiToken.DoesNotExist:
            raise exceptions.AuthenticationFailed(
                "Invalid or revoked token; log in again.", code="token_invalid"
            ) from None
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(
                "Your session has expired; log in again.", code="token_expired"
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                "This account is disabled.", code="account_disabled"
            )
        return token.user, token
