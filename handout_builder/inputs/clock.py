"""The dates a PDF takes from outside its handout.

A leaflet's PDF must not depend on the day it was built, so its dates come from the handout (its
`reviewed` date) unless SOURCE_DATE_EPOCH is set (the reproducible-builds convention).
"Today" decides only review status and the overdue notice; HANDOUT_BUILDER_TODAY sets it, for
tests and for planning ("what will be overdue on 2027-01-01?"). Both variables are read by the
World (world.py), the one place the engine reads its environment; this module only does the sums.
"""
from __future__ import annotations

import calendar
import datetime as dt



def pdf_timestamp(reviewed: dt.date, source_date_epoch: int | None) -> int:
    """The seconds since 1970 a leaflet's PDF gives as its creation and modification date:
    SOURCE_DATE_EPOCH when set (World.source_date_epoch), else midnight (UTC) of the day the
    leaflet was reviewed."""
    if source_date_epoch is not None:
        return source_date_epoch
    return calendar.timegm(reviewed.timetuple())
