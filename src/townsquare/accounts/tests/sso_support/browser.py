"""A plain HTTP client walking sign-in pages the way a browser would (forms, CSRF, redirects)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin

import requests

TIMEOUT_SECONDS = 20


def hidden_inputs(html: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="hidden"' not in tag:
            continue
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[unescape(name.group(1))] = unescape(value.group(1)) if value else ""
    return fields


def form_action(html: str, page_url: str) -> str:
    match = re.search(r'<form[^>]*method="post"[^>]*action="([^"]*)"', html, re.IGNORECASE)
    if match is None:
        match = re.search(r'<form[^>]*action="([^"]*)"[^>]*method="post"', html, re.IGNORECASE)
    return urljoin(page_url, unescape(match.group(1))) if match and match.group(1) else page_url


def submit_form(
    session: requests.Session,
    page: requests.Response,
    data: dict[str, str],
    *,
    allow_redirects: bool = True,
) -> requests.Response:
    """Post the page's (first) POST form with its hidden fields plus ``data``."""
    fields = {**hidden_inputs(page.text), **data}
    return session.post(
        form_action(page.text, page.url),
        data=fields,
        allow_redirects=allow_redirects,
        timeout=TIMEOUT_SECONDS,
    )
