"""Phone numbers in a leaflet's text, found so that a layout read on phones can make them tel:
links (Layout.phone_links): the number printed as written, the link to it in E.164.

Google's libphonenumber rules (the phonenumbers package) find them: "020 7946 0000" in a GB
clinic's text, "+44 20 7946 0000" anywhere; emergency and short numbers (999) are not dialled
from a leaflet's link and are left as they are.
"""
from __future__ import annotations

from dataclasses import dataclass

import phonenumbers


@dataclass(frozen=True)
class PhoneNumber:
    start: int  # where it is written in the text
    end: int
    e164: str  # +442079460000


def known_country(code: str) -> bool:
    """Whether `code` is a country (region) whose numbers can be read: GB, IE, US..."""
    return code.strip().upper() in phonenumbers.SUPPORTED_REGIONS


def phone_numbers(text: str, country: str) -> list[PhoneNumber]:
    """The valid phone numbers written in `text`, a number without its country code being one of
    `country`'s."""
    found = []
    for match in phonenumbers.PhoneNumberMatcher(text, country.strip().upper(), leniency=phonenumbers.Leniency.VALID):
        found.append(PhoneNumber(match.start, match.end,
                                 phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)))
    return found
