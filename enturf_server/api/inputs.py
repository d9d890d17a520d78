"""Reading a request's input through an input serializer (one way, for every view)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


def validated(serializer_class, data: Any, **kwargs) -> dict[str, Any]:
    """The validated input, or a 400 in the common error shape (via the exception handler)."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


MAX_ID = 2**31 - 1  # ids beyond this are not ours; refuse them before they reach the database


def id_field(**kwargs) -> serializers.IntegerField:
    """An input field for the id of one of our rows (1 .. MAX_ID)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def money_field(**kwargs) -> serializers.DecimalField:
    """An input field for an amount of money (as the models store it: 12 digits, 2 places)."""
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)
