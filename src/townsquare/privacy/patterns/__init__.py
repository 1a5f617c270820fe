"""Detectors for the identifiers that have a shape: numbers, codes, addresses, links, dates, ages.

Each detector takes a ``Source`` (the text and what several detectors need from it, computed once)
and yields ``Finding``s; ``text.py`` holds what they share.
"""

from .contact import detect_email, detect_ip, detect_phone, detect_url
from .dates import detect_age, detect_date
from .numbers import detect_cued_numbers, detect_shaped_numbers, detect_ssn
from .places import detect_address
from .text import Source, compile_lowered, starts_word

__all__ = [
    "Source",
    "compile_lowered",
    "detect_address",
    "detect_age",
    "detect_cued_numbers",
    "detect_date",
    "detect_email",
    "detect_ip",
    "detect_phone",
    "detect_shaped_numbers",
    "detect_ssn",
    "detect_url",
    "starts_word",
]
