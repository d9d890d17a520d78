"""The sync wire format, shared by the server and the counters.

* :mod:`enturf_core.wire.model` -- the frozen-dataclass base that reads (strictly) and
  writes its own JSON, and :class:`WireError`;
* :mod:`enturf_core.wire.ops` -- the push ops a counter sends (op names as constants);
* :mod:`enturf_core.wire.feed` -- the change-feed entities the server sends.
"""

from enturf_core.wire.model import WireError, WireModel

__all__ = ["WireError", "WireModel"]
