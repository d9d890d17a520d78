"""Frozen dataclasses that read and write their own JSON: the base of the wire format.

A wire class is a frozen dataclass deriving :class:`WireModel`; its field types say how
each value travels (the same forms the API has always used):

* ``str``, ``int``, ``bool``, ``float`` as JSON values (an ``int`` is never a ``bool``,
  a ``float`` may arrive as an integer);
* ``Decimal`` as text (``"45.00"``), never a JSON number: money is exact;
* ``uuid.UUID`` as its text, ``datetime`` as ISO 8601 with an offset;
* ``X | None`` as ``null``; ``tuple[X, ...]`` as a list; ``dict[str, X]`` as an object;
* another :class:`WireModel` as a nested object; ``Any`` (or ``dict[str, Any]``) as
  JSON passed through unchanged (opaque parts: signed approvals, report figures).

:meth:`WireModel.from_wire` is strict: a missing field without a default, a field of the
wrong type or an unknown key raises :class:`WireError` naming the path
(``lines[2].price``). ``ignore_unknown=True`` skips unknown keys instead (a counter
reading a newer server's feed). A field made with :func:`optional` is left out of
:meth:`WireModel.to_wire` while it holds its default, as the JSON has always done (e.g.
``voucher`` only when there is one).
"""

from __future__ import annotations

import contextvars
import dataclasses
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, Self

_OMIT = "wire_omit_default"
_IGNORE_UNKNOWN = contextvars.ContextVar("wire_ignore_unknown", default=False)


class WireError(ValueError):
    """A payload that does not have the wire format's shape; ``path`` names the value."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path or 'payload'}: {problem}")
        self.path, self.problem = path, problem

    def under(self, path: str, key: str | int) -> WireError:
        """The same error seen from the object that holds the value at `key` (at `path`)."""
        return WireError(_join(_at(path, key), self.path), self.problem)


def optional(default: Any = None) -> Any:
    """A field that may be missing on the wire, and is left out while it is `default`."""
    if isinstance(default, dict):  # a fresh empty dict each time (never shared)
        return dataclasses.field(default_factory=dict, metadata={_OMIT: True})
    return dataclasses.field(default=default, metadata={_OMIT: True})


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _join(path: str, inner: str) -> str:
    if not inner:
        return path
    if not path or inner.startswith("["):
        return path + inner
    return f"{path}.{inner}"


# Readers are called with the path "" and an error's path is completed on its way out
# (`WireError.under`): a path is only built for a value that is wrong, never for the
# thousands that are right (a shift report reads every sale of the shift).


# -- readers: (value, path) -> parsed value ------------------------------------------------

Reader = Callable[[Any, str], Any]
Writer = Callable[[Any], Any]


def _read_str(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise WireError(path, f"expected text, got {_kind(value)}")
    return value


def _read_int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise WireError(path, f"expected an integer, got {_kind(value)}")
    return value


def _read_bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise WireError(path, f"expected true or false, got {_kind(value)}")
    return value


def _read_float(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WireError(path, f"expected a number, got {_kind(value)}")
    return float(value)


def _read_decimal(value: Any, path: str) -> Decimal:
    if not isinstance(value, str):
        raise WireError(path, f'expected a decimal as text (e.g. "45.00"), got {_kind(value)}')
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise WireError(path, f"{value!r} is not a decimal number") from None
    if not amount.is_finite():
        raise WireError(path, f"{value!r} is not a finite number")
    return amount


def _read_uuid(value: Any, path: str) -> uuid.UUID:
    if not isinstance(value, str):
        raise WireError(path, f"expected a UUID as text, got {_kind(value)}")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise WireError(path, f"{value!r} is not a UUID") from None


def _read_datetime(value: Any, path: str) -> datetime:
    if not isinstance(value, str):
        raise WireError(path, f"expected an ISO 8601 time as text, got {_kind(value)}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise WireError(path, f"{value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise WireError(path, f"{value!r} has no UTC offset")
    return moment


def _read_any(value: Any, path: str) -> Any:
    return value


_SCALARS: dict[Any, tuple[Reader, Writer]] = {
    str: (_read_str, lambda v: v),
    int: (_read_int, lambda v: v),
    bool: (_read_bool, lambda v: v),
    float: (_read_float, lambda v: v),
    Decimal: (_read_decimal, lambda v: format(v, "f")),
    uuid.UUID: (_read_uuid, str),
    datetime: (_read_datetime, lambda v: v.isoformat()),
    Any: (_read_any, lambda v: v),
}


@cache
def _codec(tp: Any) -> tuple[Reader, Writer]:
    """How a value of type `tp` is read from and written to JSON."""
    if tp in _SCALARS:
        return _SCALARS[tp]
    if isinstance(tp, type) and issubclass(tp, WireModel):
        return tp._read, lambda v: v.to_wire()
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        read_inner, write_inner = _codec(inner)
        return (
            lambda v, p: None if v is None else read_inner(v, p),
            lambda v: None if v is None else write_inner(v),
        )
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        read_item, write_item = _codec(args[0])

        def read_tuple(value: Any, path: str) -> tuple:
            if not isinstance(value, list):
                raise WireError(path, f"expected a list, got {_kind(value)}")
            try:
                return tuple([read_item(item, "") for item in value])
            except WireError:
                for i, item in enumerate(value):  # which one: the error's path says
                    try:
                        read_item(item, "")
                    except WireError as error:
                        raise error.under(path, i) from None
                raise

        return read_tuple, lambda v: [write_item(item) for item in v]
    if origin in (dict, Mapping) and args and args[0] is str:
        read_item, write_item = _codec(args[1])
        plain = args[1] if args[1] in (str, int) else None  # JSON as it is: checked in bulk

        def read_dict(value: Any, path: str) -> dict:
            if not isinstance(value, dict):
                raise WireError(path, f"expected an object, got {_kind(value)}")
            if plain is not None and all(
                type(k) is str and type(v) is plain for k, v in value.items()
            ):  # a seat status lists thousands of seats: no call per item
                return dict(value)
            out = {}
            for k, v in value.items():
                _read_str(k, path)
                try:
                    out[k] = read_item(v, "")
                except WireError as error:
                    raise error.under(path, str(k)) from None
            return out

        if args[1] is Any:  # opaque JSON: no copy on the way out
            return read_dict, lambda v: v
        if plain is not None:
            return read_dict, dict
        return read_dict, lambda v: {k: write_item(item) for k, item in v.items()}
    raise TypeError(f"no wire codec for {tp!r}")


@dataclasses.dataclass(frozen=True, slots=True)
class _Field:
    name: str
    read: Reader
    write: Writer
    required: bool
    default: Any
    omit_default: bool


_FIELDS: dict[type, tuple[_Field, ...]] = {}  # each wire class's fields, made once


class WireModel:
    """Base of the wire classes (frozen dataclasses); see the module's docstring."""

    __slots__ = ()

    @classmethod
    def _fields(cls) -> tuple[_Field, ...]:
        found = _FIELDS.get(cls)
        if found is None:
            hints = typing.get_type_hints(cls)
            found = tuple(
                _Field(
                    f.name,
                    *_codec(hints[f.name]),
                    required=f.default is dataclasses.MISSING
                    and f.default_factory is dataclasses.MISSING,
                    default=(
                        f.default_factory()
                        if f.default_factory is not dataclasses.MISSING
                        else f.default
                    ),
                    omit_default=bool(f.metadata.get(_OMIT)),
                )
                for f in dataclasses.fields(cls)  # type: ignore[arg-type]
            )
            _FIELDS[cls] = found
        return found

    @classmethod
    def from_wire(cls, data: Any, *, ignore_unknown: bool = False) -> Self:
        """The instance `data` (parsed JSON) describes; :class:`WireError` if it does not
        have the shape (see the module's docstring)."""
        if not ignore_unknown:
            return cls._read(data, "")
        token = _IGNORE_UNKNOWN.set(True)  # for the nested objects too
        try:
            return cls._read(data, "")
        finally:
            _IGNORE_UNKNOWN.reset(token)

    @classmethod
    def _read(cls, data: Any, path: str) -> Self:
        if not isinstance(data, dict):
            raise WireError(path, f"expected an object, got {_kind(data)}")
        fields = cls._fields()
        values = {}
        for f in fields:
            if f.name in data:
                try:
                    values[f.name] = f.read(data[f.name], "")
                except WireError as error:
                    raise error.under(path, f.name) from None
            elif f.required:
                raise WireError(_at(path, f.name), "missing")
        if len(values) < len(data) and not _IGNORE_UNKNOWN.get():
            known = {f.name for f in fields}
            unknown = sorted(str(k) for k in data if k not in known)
            if unknown:
                raise WireError(path, f"unknown field(s): {', '.join(unknown)}")
        made = cls(**values)
        made._check(path)
        return made

    def _check(self, path: str) -> None:
        """Rules across fields (override); raise :class:`WireError`."""

    def to_wire(self) -> dict[str, Any]:
        """This value as JSON-able data, in the form :meth:`from_wire` reads."""
        out: dict[str, Any] = {}
        for f in self._fields():
            value = getattr(self, f.name)
            if f.omit_default and value == f.default:
                continue
            out[f.name] = f.write(value)
        return out
