"""Reports as CSV when the client asks with `Accept: text/csv`: fixed, documented columns, one row per figure."""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import Request, Response

# A cell a spreadsheet would run as a formula (a debtor named "=HYPERLINK(...)") is prefixed with a quote.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def wants_csv(request: Request) -> bool:
    """True when the Accept header names text/csv (and JSON is then not what the client wants first)."""
    accept = request.headers.get("accept", "")
    return any(part.split(";")[0].strip().lower() == "text/csv" for part in accept.split(","))


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_response(columns: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> Response:
    """A CSV body with a header row, comma separated, UTF-8, as a download named `filename`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def csv_doc(columns: Sequence[str], example: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI entry for a report's CSV form: its columns, and an example."""
    return {200: {"description": "The report; as CSV with `Accept: text/csv`, columns: " + ", ".join(columns) + ".",
                  "content": {"text/csv": {"schema": {"type": "string"}, "example": example}}}}
