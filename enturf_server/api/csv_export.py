"""CSV downloads of list endpoints: rows streamed out of a queryset's iterator (no list
of every row in memory), UTF-8 with a header line, the file name in Content-Disposition."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.http import StreamingHttpResponse


class _Echo:
    """A file-like object whose write() hands back the line csv.writer gives it."""

    def write(self, value: str) -> str:
        return value


def csv_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Any],
    to_row: Callable[[Any], Sequence[Any]],
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(to_row(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
