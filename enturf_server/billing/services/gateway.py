"""The server's own gateway client (secret key), and gateway errors as API errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings

from enturf_core.gateway import GatewayConfig, GatewayError, GatewayErrorCode, StripeRestClient
from enturf_core.money import Money
from enturf_server.api.errors import ServiceError


@contextmanager
def server_gateway() -> Iterator[StripeRestClient]:
    """A REST client with the server's secret key (never handed to counters)."""
    config = GatewayConfig(
        api_key=settings.ENTURF_GATEWAY_SECRET_KEY,
        base_url=settings.ENTURF_GATEWAY_URL.rstrip("/"),
        max_retries=2,
        backoff_base=0.2,
        backoff_max=2.0,
        read_timeout=20.0,
    )
    client = StripeRestClient(config)
    try:
        yield client
    finally:
        client.close()


def to_minor(amount: Decimal, currency: str) -> int:
    return Money(amount, currency).to_minor_units()


def from_minor(amount_minor: int, currency: str) -> Decimal:
    return Money.from_minor_units(amount_minor, currency.upper()).amount


_UNAVAILABLE = {GatewayErrorCode.UNREACHABLE, GatewayErrorCode.GATEWAY_ERROR}


def gateway_failure(exc: GatewayError) -> ServiceError:
    """A gateway failure as an API error: 503 when unreachable, 402 for a card problem,
    404 for an unknown object, 502 otherwise."""
    if exc.code in _UNAVAILABLE:
        status = 503
    elif exc.is_card_problem:
        status = 402
    elif exc.code == GatewayErrorCode.NOT_FOUND:
        status = 404
    else:
        status = 502
    return ServiceError(
        exc.message,
        code=f"gateway_{exc.code.value}",
        status_code=status,
        details={"gateway_code": exc.gateway_code, "request_id": exc.request_id},
    )
