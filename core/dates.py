"""Dates known to a day, a month or a year, shown no more precisely than they are known."""

import datetime

from django.db import models


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def format_partial_date(value, precision=DatePrecision.DAY):
    """Return '19 November 2020', 'December 2023' or '2014' as the precision allows."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


def format_date_range(start, end, precision=DatePrecision.DAY):
    """Return a compact range ('7–9 December 2023', 'July 2019', '1950–1951') at a precision."""
    if start is None:
        return ""
    if end is None or end == start:
        return format_partial_date(start, precision)
    if precision == DatePrecision.YEAR:
        return f"{start.year}" if start.year == end.year else f"{start.year}\u2013{end.year}"
    if precision == DatePrecision.MONTH:
        if (start.year, start.month) == (end.year, end.month):
            return format_partial_date(start, precision)
        if start.year == end.year:
            return f"{start.strftime('%B')}\u2013{end.strftime('%B %Y')}"
        return f"{format_partial_date(start, precision)}\u2013{format_partial_date(end, precision)}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}\u2013{end.day} {end.strftime('%B %Y')}"
    if start.year == end.year:
        return f"{start.day} {start.strftime('%B')}\u2013{end.day} {end.strftime('%B %Y')}"
    return f"{format_partial_date(start)}\u2013{format_partial_date(end)}"


def truncate_to_precision(value, precision):
    """Return the first day of the month or year when only that much is known."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return datetime.date(value.year, 1, 1)
    if precision == DatePrecision.MONTH:
        return datetime.date(value.year, value.month, 1)
    return value
