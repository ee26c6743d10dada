"""Every CSV the portal writes goes through here, so no cell is run as a spreadsheet formula.

Spreadsheets treat a cell that starts with = + - @ (or a tab or carriage
return before one) as a formula, which can fetch URLs or run commands when a
coordinator opens the file (CSV injection). Text that starts so is prefixed
with a single quote, as OWASP advises; numbers are written as they are (a
negative number is not a formula). It lives in `programmes`, the lowest app,
so that every app may import it.
"""

import csv
from decimal import Decimal

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """The value as it is safe to write: numbers unchanged, text defused, None as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_write(out, header, rows):
    """Write a header row and the rows to a file-like `out`, every cell through csv_cell."""
    writer = csv.writer(out)
    writer.writerow([csv_cell(value) for value in header])
    writer.writerows([csv_cell(value) for value in row] for row in rows)


def csv_response(filename, header, rows):
    """A download of the rows as `filename` (the caller builds it from slugs and dates, not free text)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    csv_write(response, header, rows)
    return response
