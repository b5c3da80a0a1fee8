"""Review dates: when a leaflet is due for its clinical review, and whether it is overdue.

A leaflet is reviewed by the clinical team at least every three years unless it says otherwise
(`review_due`). "Today" is passed in, never read here, so status is the same in tests and in use.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Handout

DEFAULT_YEARS = 3
DUE_SOON_DAYS = 90


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def review_due(handout: Handout) -> dt.date:
    """The handout's review_due, or three years after it was reviewed."""
    return handout.review_due or add_years(handout.reviewed, DEFAULT_YEARS)


@dataclass(frozen=True)
class ReviewStatus:
    """Where a leaflet stands on a given day: 'current', 'due' (within 90 days) or 'overdue'."""

    state: str
    due: dt.date
    days: int  # days until due (negative once overdue)

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"

    def __str__(self) -> str:
        if self.state == "overdue":
            return f"overdue by {-self.days} day{'s' if self.days != -1 else ''}"
        if self.state == "due":
            return "due today" if self.days == 0 else f"due in {self.days} day{'s' if self.days != 1 else ''}"
        return "current"


def review_status(due: dt.date, today: dt.date) -> ReviewStatus:
    """The status of a leaflet due for review on `due`, judged on `today`. It is overdue from the
    day after it was due."""
    days = (due - today).days
    state = "overdue" if days < 0 else "due" if days <= DUE_SOON_DAYS else "current"
    return ReviewStatus(state, due, days)
