"""Reading a request's input through an input serializer (one way, for every view)."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
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


MAX_INT = 2**31 - 1  # an IntegerField / PositiveIntegerField column on PostgreSQL


def int_field(
    *, min_value: int = 0, max_value: int = MAX_INT, **kwargs
) -> serializers.IntegerField:
    """An input field for a whole number: always bounded (a count, a position...)."""
    return serializers.IntegerField(min_value=min_value, max_value=max_value, **kwargs)


def model_int_field(
    model: type[models.Model], name: str, *, min_value: int | None = None, **kwargs
) -> serializers.IntegerField:
    """An input field for the integer column `model.name`: bounded by the column's range as
    PostgreSQL has it (SQLite's is wider: a value that fits there would wrap or fail
    there), by the model field's own validators, and by `min_value` when given."""
    field = model._meta.get_field(name)
    low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
    for validator in field._validators:  # the declared ones, not the connection's range
        if isinstance(validator, MinValueValidator):
            low = max(low, validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            high = min(high, validator.limit_value)
    if min_value is not None:
        low = max(low, min_value)
    return serializers.IntegerField(min_value=low, max_value=high, **kwargs)
