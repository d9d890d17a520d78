"""Reading and validating decoded request parameters the way Stripe does."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .errors import param_error

MAX_METADATA_KEYS = 50
MAX_METADATA_KEY_LENGTH = 40
MAX_METADATA_VALUE_LENGTH = 500


def reject_unknown(params: dict[str, Any], allowed: Iterable[str]) -> None:
    allowed_set = set(allowed) | {"expand"}
    for name in params:
        if name not in allowed_set:
            raise param_error(
                f"Received unknown parameter: {name}", param=name, code="parameter_unknown"
            )


def string(params: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    value = params.get(name)
    if value is None:
        if required:
            raise missing(name)
        return None
    if not isinstance(value, str):
        raise param_error(f"Invalid string: {name}", param=name, code="parameter_invalid_string")
    if required and value == "":
        raise param_error(
            f"You passed an empty string for '{name}'. We assume empty values are an attempt "
            f"to unset a parameter; however '{name}' cannot be unset. You should remove "
            f"'{name}' from your request or supply a non-empty value.",
            param=name,
            code="parameter_invalid_empty",
        )
    return value


def integer(
    params: dict[str, Any],
    name: str,
    *,
    required: bool = False,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        if required:
            raise missing(name)
        return None
    if not isinstance(raw, str) or not raw.lstrip("-").isdigit():
        raise param_error(f"Invalid integer: {raw}", param=name, code="parameter_invalid_integer")
    value = int(raw)
    if minimum is not None and value < minimum:
        raise param_error(
            f"This value must be greater than or equal to {minimum}.",
            param=name,
            code="parameter_invalid_integer",
        )
    if maximum is not None and value > maximum:
        raise param_error(
            f"This value must be less than or equal to {maximum}.",
            param=name,
            code="parameter_invalid_integer",
        )
    return value


def boolean(params: dict[str, Any], name: str, default: bool = False) -> bool:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if raw in ("true", "false"):
        return raw == "true"
    raise param_error(f"Invalid boolean: {raw}", param=name)


def choice(
    params: dict[str, Any], name: str, options: Iterable[str], default: str | None = None
) -> str | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    options = list(options)
    if raw not in options:
        listed = ", ".join(options[:-1]) + f", or {options[-1]}" if len(options) > 1 else options[0]
        raise param_error(f"Invalid {name}: must be one of {listed}", param=name)
    return raw


def string_list(params: dict[str, Any], name: str) -> list[str] | None:
    raw = params.get(name)
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = [raw] if raw else []
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise param_error(f"Invalid array: {name}", param=name, code="parameter_invalid_array")
    return raw


def sub_dict(params: dict[str, Any], name: str) -> dict[str, Any]:
    raw = params.get(name)
    if raw is None or raw == "":
        return {}
    if not isinstance(raw, dict):
        raise param_error(f"Invalid object: {name}", param=name)
    return raw


def metadata(params: dict[str, Any], current: dict[str, str] | None = None) -> dict[str, str]:
    """Merge ``metadata[...]`` into ``current``; an empty value removes the key."""
    result = dict(current or {})
    raw = params.get("metadata")
    if raw is None:
        return result
    if raw == "":
        return {}
    if not isinstance(raw, dict):
        raise param_error("Invalid object", param="metadata")
    for key, value in raw.items():
        if not isinstance(value, str):
            raise param_error("Metadata values must be strings.", param=f"metadata[{key}]")
        if len(key) > MAX_METADATA_KEY_LENGTH:
            raise param_error(
                f"Metadata keys can have up to {MAX_METADATA_KEY_LENGTH} characters.",
                param=f"metadata[{key}]",
            )
        if len(value) > MAX_METADATA_VALUE_LENGTH:
            raise param_error(
                f"Metadata values can have up to {MAX_METADATA_VALUE_LENGTH} characters.",
                param=f"metadata[{key}]",
            )
        if value == "":
            result.pop(key, None)
        else:
            result[key] = value
    if len(result) > MAX_METADATA_KEYS:
        raise param_error(
            f"You can have up to {MAX_METADATA_KEYS} metadata keys.", param="metadata"
        )
    return result


def expand_paths(params: dict[str, Any]) -> list[str]:
    return string_list(params, "expand") or []


def missing(name: str):
    return param_error(f"Missing required param: {name}.", param=name, code="parameter_missing")
