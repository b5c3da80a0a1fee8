"""Every date a build reads from outside its input files, in one place.

A leaflet's PDF must not depend on the day it was built, so its dates come from the handout (its
`reviewed` date) unless SOURCE_DATE_EPOCH is set (the reproducible-builds convention).
"Today" decides only review status and the overdue notice; HANDOUT_BUILDER_TODAY sets it, for
tests and for planning ("what will be overdue on 2027-01-01?").
"""
from __future__ import annotations

import calendar
import datetime as dt
import os

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
TODAY = "HANDOUT_BUILDER_TODAY"


class ClockError(ValueError):
    """An environment variable holds something that is not a date or a time."""


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH as whole seconds, or None when it is not set."""
    value = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ClockError(f"{SOURCE_DATE_EPOCH} must be whole seconds since 1970-01-01, not '{value}'")
    return int(value)


def pdf_timestamp(reviewed: dt.date) -> int:
    """The seconds since 1970 a leaflet's PDF gives as its creation and modification date:
    SOURCE_DATE_EPOCH when set, else midnight (UTC) of the day the leaflet was reviewed."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    return calendar.timegm(reviewed.timetuple())


def today() -> dt.date:
    """The date review status is judged on: HANDOUT_BUILDER_TODAY (YYYY-MM-DD) or the clock's."""
    value = os.environ.get(TODAY, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ClockError(f"{TODAY} must be a date YYYY-MM-DD, not '{value}'") from None
