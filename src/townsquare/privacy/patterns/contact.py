"""Detectors for contact details: email addresses, web addresses tied to a person, IP addresses,
telephone and fax numbers."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from ..findings import Finding, PhiKind
from .text import (
    IGNORE,
    Source,
    clause_before,
    compile_lowered,
    digits_of,
    starts_word,
    window_before,
)

# --- email -------------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,6}"
    r"\.[A-Za-z]{2,24}(?![A-Za-z0-9-])"
)


def detect_email(source: Source) -> Iterator[Finding]:
    text = source.text
    if "@" not in text:
        return
    for match in _EMAIL.finditer(text):
        yield Finding(PhiKind.EMAIL.value, match.start(), match.end(), 0.95)


# --- web addresses -----------------------------------------------------------------------------

_PERSONAL_HOSTS = (
    "facebook.com",
    "fb.com",
    "instagram.com",
    "twitter.com",
    "x.com",
    "tiktok.com",
    "threads.net",
    "snapchat.com",
    "pinterest.com",
    "gofundme.com",
    "caringbridge.org",
    "givesendgo.com",
    "mealtrain.com",
    "lotsahelpinghands.com",
    "everloved.com",
    "legacy.com",
    "venmo.com",
    "paypal.me",
    "cash.app",
    "bsky.app",
)
_SITE_SECTIONS = frozenset(
    {
        "groups",
        "pages",
        "events",
        "watch",
        "hashtag",
        "search",
        "help",
        "login",
        "share",
        "explore",
        "discover",
        "about",
        "home",
        "f",
        "visit",
    }
)
_PERSONAL_PATH_HOSTS = {  # hosts whose pages are a person's only under some paths
    "linkedin.com": ("/in/",),
    "youtube.com": ("/@", "/c/", "/channel/", "/user/"),
    "reddit.com": ("/user/", "/u/"),
    "medium.com": ("/@",),
}
_PERSONAL_QUERY = re.compile(
    r"(?:^|&)(?:patient|patient_?id|pid|mrn|member(?:_?id)?|user(?:_?id|name)?|uid|account|"
    r"email|name|dob)=",
    IGNORE,
)
_PERSONAL_PATH = re.compile(r"/(?:~|about-?me\b|profile\b|people/|users?/|members?/)", IGNORE)
_URL_CUE = re.compile(
    r"\b(?:my|his|her|their|our)\s+(?:\w+\s+){0,2}(?:blog|page|site|website|profile|story|"
    r"channel|fundraiser|journey|updates)\b|\bfollow\s+(?:me|us|my|our|his|her|their)\b|"
    r"\bfundraiser\b|\bobituary\b|\bmemorial\b",
    IGNORE,
)
_SOCIAL_HOSTS = "|".join(
    re.escape(host) for host in (*_PERSONAL_HOSTS, *_PERSONAL_PATH_HOSTS) if "." in host
)
_URL_BODY = r"[^\s<>\"'\[\]{}|\\^`]{1,2000}"
# Both start with literal text, so ``re`` skips straight to candidates; boundaries checked after.
_URL = compile_lowered(r"(?:https?://|www\.)" + _URL_BODY)
_SOCIAL_URL = compile_lowered(rf"(?:{_SOCIAL_HOSTS})/" + _URL_BODY)
_SUBDOMAIN_BEFORE = re.compile(r"(?:[a-z0-9-]{1,63}\.){0,3}$")
_SOCIAL_HOST_NAMES = tuple(
    host for host in (*_PERSONAL_HOSTS, *_PERSONAL_PATH_HOSTS) if "." in host
)
_URL_BOUNDARY = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_@/.-")
_URL_TRAILING = ".,;:!?)]}'\""


def _url_is_personal(url: str, before: str) -> bool:
    parts = urlsplit(url if "://" in url else "https://" + url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    path = parts.path or ""
    if any(host == known or host.endswith("." + known) for known in _PERSONAL_HOSTS):
        segments = [segment for segment in path.lower().split("/") if segment]
        # "facebook.com/groups/" or "/search" is a section of the site, not someone's page.
        return bool(segments) and not (len(segments) == 1 and segments[0] in _SITE_SECTIONS)
    for known, prefixes in _PERSONAL_PATH_HOSTS.items():
        if host == known or host.endswith("." + known):
            return path.startswith(prefixes)
    if parts.query and _PERSONAL_QUERY.search(parts.query):
        return True
    if _PERSONAL_PATH.search(path):
        return True
    return bool(_URL_CUE.search(before))


def detect_url(source: Source) -> Iterator[Finding]:
    text = source.text
    if "." not in text or not (
        "http" in source.lower
        or "www." in source.lower
        or any(host in source.lower for host in _SOCIAL_HOST_NAMES)
    ):
        return
    spans = [match.span() for match in _URL.finditer(source.lower)]
    for match in _SOCIAL_URL.finditer(source.lower):
        if any(start <= match.start() < end for start, end in spans):
            continue
        subdomain = _SUBDOMAIN_BEFORE.search(
            source.lower, max(0, match.start() - 64), match.start()
        )
        spans.append((subdomain.start() if subdomain else match.start(), match.end()))
    for start, end in spans:
        if start and source.lower[start - 1] in _URL_BOUNDARY:
            continue
        value = text[start:end].rstrip(_URL_TRAILING)
        if value.count("(") < value.count(")"):
            value = value[: value.rfind(")")].rstrip(_URL_TRAILING)
        if not value:
            continue
        if _url_is_personal(value, clause_before(text, start, 60)):
            yield Finding(PhiKind.URL.value, start, start + len(value), 0.85)


# --- IP addresses ------------------------------------------------------------------------------

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(r"[0-9](?<![\w.].)[0-9]{0,2}(?:\.[0-9]{1,3}){3}(?![\w]|\.[0-9])")
_IPV4_EXACT = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
_VERSION_CUE = re.compile(r"\b(?:version|ver|build|release|v|rev)\.?\s*$", IGNORE)


def detect_ip(source: Source) -> Iterator[Finding]:
    text = source.text
    if not source.has_digit:
        return
    if "." in text:
        for match in _IPV4.finditer(text):
            if not _IPV4_EXACT.fullmatch(match.group()):
                continue
            if _VERSION_CUE.search(window_before(text, match.start(), 12)):
                continue
            yield Finding(PhiKind.IP.value, match.start(), match.end(), 0.85)
    if "::" in text or text.count(":") >= 7:
        for match in _IPV6.finditer(text):
            value = match.group()
            if sum(character != ":" for character in value) < 8:
                continue
            if "::" not in value and value.count(":") != 7:
                continue
            try:
                ipaddress.IPv6Address(value)
            except ValueError:
                continue
            yield Finding(PhiKind.IP.value, match.start(), match.end(), 0.85)


# --- telephone and fax -------------------------------------------------------------------------

_TOLL_FREE = {"800", "833", "844", "855", "866", "877", "888"}
# Candidates start with a character class (fast to find); the exact pattern is matched there.
_NANP_CANDIDATE = re.compile(r"[(+0-9](?<![\w+/.-].)[0-9()\s.+-]{9,20}")
_NANP = re.compile(
    r"(?<![\w+/.-])(?:\+?1[\s.-]?)?(?:\((?P<area1>[2-9][0-9]{2})\)\s?|(?P<area2>[2-9][0-9]{2})"
    r"(?P<sep1>[\s.-]?))(?P<exchange>[0-9]{3})(?P<sep2>[\s.-]?)[0-9]{4}(?![\w/]|[.-][0-9])"
)
_INTERNATIONAL = re.compile(
    r"(?<![\w+])\+(?:[2-9][0-9]{0,2})(?:[\s.-]?\(?[0-9]{1,4}\)?){2,5}(?![\w]|[.-][0-9])"
)
_LOCAL = re.compile(r"[2-9](?<![\w.-].)[0-9]{2}-[0-9]{4}(?![\w]|[.-][0-9])")
_PHONE_CUE = re.compile(
    r"\b(?:phone|tel|telephone|cell|mobile|call(?:\s+(?:me|us|him|her))?|text(?:\s+(?:me|us))?|"
    r"number|reach|contact)\b",
    IGNORE,
)
_FAX_CUE = re.compile(r"\b(?:fax(?:ed)?|facsimile)\b|(?<![\w])f:", IGNORE)
_DIGIT_WORD = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
_SPOKEN_NUMBER = compile_lowered(rf"{_WORD}(?:[\s,.-]{{1,3}}{_WORD}){{6,14}}\b")


_FAX_AFTER = re.compile(r"^\s{0,2}(?:\(fax\)|\[fax\]|-\s?fax\b|fax\b)", IGNORE)


def _phone_or_fax(text: str, start: int, end: int) -> str:
    """A fax when the nearest telephone word before it is "fax", or "(fax)" follows it."""
    if _FAX_AFTER.match(text[end : end + 12]):
        return PhiKind.FAX.value
    before = clause_before(text, start, 40)
    last_fax = max((match.end() for match in _FAX_CUE.finditer(before)), default=-1)
    last_phone = max((match.end() for match in _PHONE_CUE.finditer(before)), default=-1)
    return PhiKind.FAX.value if last_fax > last_phone else PhiKind.PHONE.value


def detect_phone(source: Source) -> Iterator[Finding]:
    text = source.text
    for candidate in _NANP_CANDIDATE.finditer(text):
        match = _NANP.match(text, candidate.start()) or _NANP.match(text, candidate.start() + 1)
        if match is None:
            continue
        area = match.group("area1") or match.group("area2")
        if area in _TOLL_FREE:
            continue
        separators = (match.group("sep1") or "") + (match.group("sep2") or "")
        if not separators and not match.group("area1"):
            # Ten bare digits are as often an account or record number; only with a cue.
            if not _PHONE_CUE.search(clause_before(text, match.start(), 25)):
                continue
            confidence = 0.75
        elif match.group("area1") or "-" in separators:
            confidence = 0.9
        else:
            confidence = 0.8
        yield Finding(
            _phone_or_fax(text, match.start(), match.end()), match.start(), match.end(), confidence
        )
    if "+" in text:
        for match in _INTERNATIONAL.finditer(text):
            if 8 <= len(digits_of(match.group())) <= 15 and not match.group().startswith("+1"):
                kind = _phone_or_fax(text, match.start(), match.end())
                yield Finding(kind, match.start(), match.end(), 0.85)
    for match in _LOCAL.finditer(text):
        before = clause_before(text, match.start(), 50)
        if _PHONE_CUE.search(before) or _FAX_CUE.search(before):
            kind = _phone_or_fax(text, match.start(), match.end())
            yield Finding(kind, match.start(), match.end(), 0.7)
    for match in _SPOKEN_NUMBER.finditer(source.lower):
        if not starts_word(text, match.start()):
            continue
        words = re.findall(_WORD, match.group())
        digits = "".join(_DIGIT_WORD[word.lower()] for word in words)
        if not 7 <= len(digits) <= 15 or digits in "0123456789" or digits in "9876543210":
            continue  # counting aloud is not a telephone number
        yield Finding(
            _phone_or_fax(text, match.start(), match.end()), match.start(), match.end(), 0.8
        )
