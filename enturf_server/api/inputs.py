"""Reading a request's input through an input serializer (one way, for every view)."""

from __future__ import annotations

from typing import Any


def validated(serializer_class, data: Any, **kwargs) -> dict[str, Any]:
    """The validated input, or a 400 in the common error shape (via the exception handler)."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
