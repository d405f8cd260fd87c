"""CSV exports: one helper for every export, so that no cell is read as a formula by a spreadsheet.

A cell that begins with =, +, -, @, a tab or a carriage return is prefixed with an apostrophe
(OWASP "CSV injection"); the apostrophe shows that the value was kept as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_response(rows: Iterable[Iterable[object]], filename: str) -> HttpResponse:
    """A download of `rows` (the first row is the header), every cell escaped."""
    safe_name = "".join(ch for ch in filename if ch.isalnum() or ch in "-_.") or "export.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response.write("\ufeff")  # spreadsheet programs read UTF-8 only with the byte-order mark
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response
