"""An e-mail draft beside a leaflet built with an email layout: `<pdf name>.eml`, the PDF
attached, a subject and a short covering message in the leaflet's language (its catalogue's
email_subject and email_message), no recipient and `X-Unsent: 1`, so Outlook, Thunderbird and
Apple Mail open it as a new message for staff to address and send. The builder sends nothing and
stores no address.

Built with Python's email package (policy SMTP): header values are folded and encoded by it, and
author text is made one line first, so a line break in a title can never start a header of its
own. The MIME boundary comes from the PDF's hash, so the same PDF gives the same bytes.
"""
from __future__ import annotations

import re
from email.message import EmailMessage
from email.policy import SMTP

from ..text.document import Document
from ..world import data_hash


LINE_BREAKS_AND_SPACES = re.compile(r"[ \t\r\n\v\f\x1c-\x1f\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """Author text for a header or a sentence: every run of spaces and line breaks one space (a
    no-break space, as French puts before a colon, stays)."""
    return LINE_BREAKS_AND_SPACES.sub(" ", text).strip()


def email_draft(document: Document, pdf_name: str, pdf: bytes) -> bytes:
    """The .eml bytes of a draft that sends `pdf` (named `pdf_name`) to a family."""
    handout, words, clinic = document.handout, document.words, document.layout.clinic
    title = one_line(handout.title)
    sender = one_line(", ".join(part for part in (clinic.department, clinic.organisation) if part))
    message = EmailMessage(policy=SMTP)
    message["Subject"] = one_line(words.say("email_subject", title=title))
    message["X-Unsent"] = "1"  # mail programs open it as a new message to send, not a received one
    message["Content-Language"] = handout.language
    message.set_content(words.say("email_message", title=title, clinic=sender) + "\n")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    message.set_boundary(f"=_leaflet_{data_hash(pdf)[:32]}")  # "=_" never occurs in base64 or the text
    return message.as_bytes()
