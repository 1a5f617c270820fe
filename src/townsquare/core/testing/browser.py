"""Browser-test fixtures and helpers: Playwright driving Debian's Chromium at /usr/bin/chromium.

Register once in ``src/townsquare/conftest.py``::

    pytest_plugins = ["townsquare.core.testing.browser"]

Fixtures
    ``browser``    one headless Chromium for the whole session (skips with a clear message when
                   /usr/bin/chromium is missing; Playwright's own browser downloads are never used)
    ``page``       a fresh context and page per test, ``base_url`` = ``live_server.url``, 10 s
                   timeouts; fails the test on uncaught JavaScript errors and on failed requests
                   for scripts, styles and images (mark a test ``browser_allows_errors`` to opt out)
    ``new_page``   a factory for more pages (another person, a phone viewport) in the same test

Helpers (plain functions, import them)
    ``assert_accessible_basics(page)``  landmarks, skip link, labels, alt text, ids, headings
    ``assert_text_contrast(page)``      WCAG 2.2 contrast of every visible text run
    ``tab_to``, ``type_into``, ``choose_option``, ``focused_name``: keyboard-only operation
    ``sign_in_as(page, user, live_server.url)``  a signed-in session without typing
    ``assert_no_horizontal_scroll(page)``, ``save_screenshot(page, name)``

Playwright's sync API keeps an asyncio loop running on the test thread, which trips Django's
async-safety guard on every ORM call in the test; the ``browser`` fixture therefore sets
``DJANGO_ALLOW_ASYNC_UNSAFE`` from the first browser test to the end of the session. The live
server thread is unaffected.

Without Chromium the browser tests are skipped with a message saying how to install it; with
``TOWNSQUARE_REQUIRE_BROWSER=1`` (as in CI) they fail instead, so a green run proves they ran.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 10_000
DESKTOP_VIEWPORT = {"width": 1280, "height": 800}
PHONE_VIEWPORT = {"width": 390, "height": 844}
SCREENSHOT_DIR_VARIABLE = "TOWNSQUARE_SCREENSHOTS"
ALLOW_ERRORS_MARKER = "browser_allows_errors"

_report_key = pytest.StashKey[dict[str, pytest.TestReport]]()


def pytest_configure(config: pytest.Config) -> None:
    # ``browser`` itself is declared in pyproject.toml with the project's other markers.
    config.addinivalue_line(
        "markers",
        f"{ALLOW_ERRORS_MARKER}: the page may log JavaScript errors or fail to load resources",
    )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    item.stash.setdefault(_report_key, {})[report.when] = report
    return report


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM_PATH.exists():
        message = (
            f"Chromium not found at {CHROMIUM_PATH}: install it with `apt-get install "
            "chromium` (Debian) to run browser tests"
        )
        if os.environ.get("TOWNSQUARE_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM_PATH), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(
    browser: Any, live_server: Any, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Any]]:
    """``new_page(viewport=PHONE_VIEWPORT, **context_options)``: a page in its own context."""
    contexts: list[Any] = []
    problems: list[str] = []
    allows_errors = request.node.get_closest_marker(ALLOW_ERRORS_MARKER) is not None

    def open_page(**context_options: Any) -> Any:
        context_options.setdefault("viewport", DESKTOP_VIEWPORT)
        context_options.setdefault("base_url", live_server.url)
        context_options.setdefault("locale", "en-US")
        context = browser.new_context(**context_options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(
                    f"console {message.type}: {message.text} ({message.location.get('url', '')})"
                )
                if message.type == "error" and not _is_document_status_message(message.text)
                else None
            ),
        )
        page.on(
            "response",
            lambda response: (
                problems.append(
                    f"{response.status} for {response.request.resource_type} {response.url}"
                )
                if response.status >= 400
                and response.request.resource_type != "document"
                and not response.url.endswith("/favicon.ico")
                else None
            ),
        )
        return page

    yield open_page

    failed = any(report.failed for report in request.node.stash.get(_report_key, {}).values())
    if failed:
        for number, context in enumerate(contexts):
            for page_number, page in enumerate(context.pages):
                name = f"FAILED-{_safe_name(request.node.nodeid)}-{number}-{page_number}.png"
                path = _screenshot_dir() / name
                try:
                    page.screenshot(path=str(path), full_page=True)
                    print(f"screenshot of the failed page {page.url}: {path}")
                except Exception as error:  # a screenshot must never hide the failure
                    print(f"could not take a screenshot: {error}")
    for context in contexts:
        context.close()
    if problems and not allows_errors and not failed:
        pytest.fail(
            "The browser reported errors:\n" + "\n".join(dict.fromkeys(problems)), pytrace=False
        )


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A fresh desktop-sized page; ``page.goto("/path/")`` is relative to the live server."""
    return new_page()


def _is_document_status_message(text: str) -> bool:
    # Chromium also logs a console error for a page answered with 4xx (e.g. a form re-shown with
    # 422); the ``response`` listener already judges every non-document resource on its status.
    return text.startswith("Failed to load resource: the server responded with a status of")


# --- screenshots ---------------------------------------------------------------------------------


def _screenshot_dir() -> Path:
    directory = Path(
        os.environ.get(SCREENSHOT_DIR_VARIABLE)
        or Path(tempfile.gettempdir()) / "townsquare-browser"
    )
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[-150:]


def save_screenshot(page: Any, name: str, *, full_page: bool = True) -> Path | None:
    """Save ``<name>.png`` when ``TOWNSQUARE_SCREENSHOTS`` names a directory (to look at pages)."""
    if not os.environ.get(SCREENSHOT_DIR_VARIABLE):
        return None
    path = _screenshot_dir() / f"{_safe_name(name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# --- accessibility -----------------------------------------------------------------------------

_ACCESSIBLE_NAME_JS = """
function accessibleName(element) {
  if (!element) return "";
  const squash = (text) => (text || "").replace(/\\s+/g, " ").trim();
  const labelledBy = element.getAttribute("aria-labelledby");
  if (labelledBy) {
    const text = labelledBy.split(/\\s+/).map((id) => document.getElementById(id))
      .filter(Boolean).map((node) => node.textContent).join(" ");
    if (squash(text)) return squash(text);
  }
  if (squash(element.getAttribute("aria-label"))) return squash(element.getAttribute("aria-label"));
  if (element.labels && element.labels.length) {
    const text = Array.from(element.labels).map((label) => label.textContent).join(" ");
    if (squash(text)) return squash(text);
  }
  if (element.tagName === "IMG") return squash(element.getAttribute("alt"));
  if (element.tagName === "INPUT" && ["submit", "button", "reset"].includes(element.type)) {
    return squash(element.value);
  }
  const text = squash(element.innerText || element.textContent);
  if (text && !["INPUT", "SELECT", "TEXTAREA"].includes(element.tagName)) return text;
  return squash(element.getAttribute("title"));
}
"""

_TABBABLE_JS = """
function isTabbable(element) {
  if (element.disabled || element.closest("[inert]")) return false;
  if (element.tabIndex < 0) return false;
  if (element.tagName === "INPUT" && element.type === "hidden") return false;
  if (element.tagName === "A" && !element.hasAttribute("href")) return false;
  const style = getComputedStyle(element);
  if (style.visibility === "hidden" || style.display === "none") return false;
  return element.getClientRects().length > 0;
}
const TABBABLE_SELECTOR = "a[href], button, input, select, textarea, summary, [tabindex], "
  + "[contenteditable=''], [contenteditable='true']";
"""

_BASICS_JS = (
    "() => {"
    + _ACCESSIBLE_NAME_JS
    + _TABBABLE_JS
    + """
  const problems = [];
  const describe = (element) => {
    let text = "<" + element.tagName.toLowerCase();
    for (const name of ["id", "name", "type", "class", "href"]) {
      if (element.hasAttribute(name)) text += ` ${name}="${element.getAttribute(name)}"`;
    }
    return text + ">";
  };
  if (!(document.documentElement.getAttribute("lang") || "").trim()) {
    problems.push("<html> has no lang attribute");
  }
  if (!document.title.trim()) problems.push("<title> is empty");

  const mains = document.querySelectorAll("main, [role='main']");
  if (mains.length !== 1) {
    problems.push(`expected exactly one <main> landmark, found ${mains.length}`);
  }

  const navs = Array.from(document.querySelectorAll("nav, [role='navigation']"));
  if (!navs.length) problems.push("no <nav> landmark");
  const navNames = navs.map((nav) => accessibleName(nav.hasAttribute("aria-label")
    || nav.hasAttribute("aria-labelledby") ? nav : null));
  navs.forEach((nav, index) => {
    if (!navNames[index]) problems.push(`${describe(nav)} has no aria-label or aria-labelledby`);
  });
  const namedNavs = navNames.filter(Boolean);
  if (new Set(namedNavs).size !== namedNavs.length) {
    problems.push(`<nav> labels are not unique: ${namedNavs.join(", ")}`);
  }

  const tabbables = Array.from(document.querySelectorAll(TABBABLE_SELECTOR)).filter(isTabbable);
  for (const element of tabbables) {
    if (element.tabIndex > 0) problems.push(`${describe(element)} has a positive tabindex`);
  }
  const first = tabbables[0];
  const main = mains[0];
  if (!first || first.tagName !== "A" || !(first.getAttribute("href") || "").startsWith("#")) {
    problems.push("the first focusable element is not a skip link: "
      + (first ? describe(first) : "nothing is focusable"));
  } else if (!main || !main.id || first.getAttribute("href") !== "#" + main.id) {
    problems.push(`the skip link ${describe(first)} does not point at the <main> element's id`);
  } else if (main.tabIndex !== -1 && !isTabbable(main)) {
    problems.push("<main> needs tabindex=\\"-1\\" so the skip link moves focus into it");
  }

  const controls = document.querySelectorAll("input, select, textarea");
  for (const control of controls) {
    if (control.tagName === "INPUT"
        && ["hidden", "submit", "button", "reset", "image"].includes(control.type)) continue;
    const labelled = (control.labels && Array.from(control.labels)
        .some((label) => label.textContent.trim()))
      || (control.getAttribute("aria-label") || "").trim()
      || (control.getAttribute("aria-labelledby") || "").split(/\\s+/)
        .some((id) => id && document.getElementById(id)
          && document.getElementById(id).textContent.trim());
    if (!labelled) problems.push(`${describe(control)} has no label`);
  }

  for (const element of document.querySelectorAll("button, a[href], [role='button']")) {
    if (!isTabbable(element)) continue;
    if (!accessibleName(element)) problems.push(`${describe(element)} has no accessible name`);
  }

  for (const image of document.querySelectorAll("img")) {
    if (!image.hasAttribute("alt")) problems.push(`${describe(image)} has no alt attribute`);
  }

  const seen = new Map();
  for (const element of document.querySelectorAll("[id]")) {
    seen.set(element.id, (seen.get(element.id) || 0) + 1);
  }
  for (const [id, count] of seen) {
    if (count > 1) problems.push(`id "${id}" is used ${count} times`);
  }

  for (const attribute of ["aria-labelledby", "aria-describedby", "aria-controls"]) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      for (const id of element.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) {
          problems.push(`${describe(element)} ${attribute} points at missing id "${id}"`);
        }
      }
    }
  }

  const headings = Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6"))
    .filter((heading) => heading.getClientRects().length > 0);
  if (!headings.length || headings[0].tagName !== "H1") {
    const top = headings[0];
    problems.push("the first heading is not an <h1>: "
      + (top ? `<${top.tagName.toLowerCase()}> ${top.textContent.trim()}` : "no headings"));
  }
  let level = 0;
  for (const heading of headings) {
    const next = Number(heading.tagName[1]);
    if (level && next > level + 1) {
      problems.push(
        `heading level skips from h${level} to h${next}: "${heading.textContent.trim()}"`);
    }
    level = next;
  }
  return problems;
}
"""
)


def accessibility_problems(page: Any) -> list[str]:
    """What ``assert_accessible_basics`` would complain about, without the keyboard checks."""
    return list(page.evaluate(_BASICS_JS))


def assert_accessible_basics(page: Any) -> None:
    """Landmarks, skip link, labels, alt text, unique ids and heading order, checked in the DOM,
    then the skip link operated with the keyboard: it must show when focused and move focus to
    <main>. Leaves focus in <main>, so the next Tab reaches the page's own content."""
    problems = accessibility_problems(page)
    if not problems:
        problems = _skip_link_problems(page)
    if problems:
        raise AssertionError(f"Accessibility problems on {page.url}:\n- " + "\n- ".join(problems))


def _skip_link_problems(page: Any) -> list[str]:
    skip_link = page.evaluate_handle(
        "() => {"
        + _TABBABLE_JS
        + """
        return Array.from(document.querySelectorAll(TABBABLE_SELECTOR)).filter(isTabbable)[0];
    }"""
    ).as_element()
    skip_link.focus()
    box = skip_link.bounding_box()
    viewport = page.viewport_size or DESKTOP_VIEWPORT
    problems = []
    if (
        box is None
        or box["x"] < 0
        or box["y"] < 0
        or box["x"] + box["width"] > viewport["width"]
        or box["width"] < 2
        or box["height"] < 2
    ):
        problems.append(f"the skip link is not visible on screen when focused (box {box})")
    url_before = page.evaluate("() => location.href")
    page.keyboard.press("Enter")
    try:
        page.wait_for_function(
            """() => document.activeElement
            && document.activeElement.matches("main, [role='main']")""",
            timeout=2_000,
        )
    except Exception:  # turned into a readable failure below
        problems.append(
            "pressing Enter on the skip link does not move focus to <main> "
            f"(focus is on {focused_name(page)!r})"
        )
    # Keep the page's address as it was, so a form posted next goes where it would have.
    page.evaluate(
        """(url) => {
        if (location.href !== url) history.replaceState(history.state, "", url);
    }""",
        url_before,
    )
    return problems


_CONTRAST_JS = """
(options) => {
  const parse = (value) => {
    const match = value.match(/rgba?\\(([^)]+)\\)/);
    if (!match) return null;
    const parts = match[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const channel = (value) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  };
  const luminance = (color) => 0.2126 * channel(color.r) + 0.7152 * channel(color.g)
    + 0.0722 * channel(color.b);
  const ratio = (one, two) => {
    const [light, dark] = [luminance(one), luminance(two)].sort((a, b) => b - a);
    return (light + 0.05) / (dark + 0.05);
  };
  // The colour behind an element: its own and its ancestors' backgrounds composited over white.
  // null when an ancestor paints a background image (the contrast cannot be computed here).
  const background = (element) => {
    const layers = [];
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage && style.backgroundImage !== "none") return null;
      const color = parse(style.backgroundColor);
      if (color && color.a > 0) {
        layers.push(color);
        if (color.a >= 1) break;
      }
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const isVisuallyHidden = (element) => {
    const rect = element.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) return true;
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.visibility === "hidden" || style.display === "none"
          || Number(style.opacity) === 0) return true;
      if (style.clip && style.clip !== "auto"
          && /rect\\(0(px)?,? 0(px)?/.test(style.clip)) return true;
    }
    return rect.right < 0 || rect.bottom < 0;
  };
  const failures = [];
  const checked = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const element = text.parentElement;
    if (!text.textContent.trim() || !element || checked.has(element)) continue;
    checked.add(element);
    if (["SCRIPT", "STYLE", "NOSCRIPT", "OPTION", "TEMPLATE"].includes(element.tagName)) continue;
    if (element.closest("[disabled], [aria-disabled='true']")) continue;
    if (isVisuallyHidden(element)) continue;
    const style = getComputedStyle(element);
    const behind = background(element);
    const foreground = parse(style.color);
    if (!behind || !foreground) continue;
    const shown = over(foreground, behind);
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700 || style.fontWeight === "bold";
    const isLarge = size >= 24 || (bold && size >= 18.66);
    const needed = isLarge ? options.large : options.normal;
    const value = ratio(shown, behind);
    if (value + 1e-6 < needed) {
      const rgb = (c) => `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;
      const tag = element.tagName.toLowerCase();
      failures.push(`${value.toFixed(2)}:1 (needs ${needed}:1) for <${tag}`
        + `${element.className ? ' class="' + element.className + '"' : ""}> `
        + `"${text.textContent.trim().slice(0, 40)}": ${rgb(shown)} on ${rgb(behind)}`);
    }
  }
  return { failures, checked: checked.size };
}
"""


def text_contrast_failures(
    page: Any, *, minimum: float = 4.5, large_text_minimum: float = 3.0
) -> list[str]:
    result = page.evaluate(_CONTRAST_JS, {"normal": minimum, "large": large_text_minimum})
    if not result["checked"]:
        raise AssertionError(f"no visible text on {page.url} to check the contrast of")
    return list(result["failures"])


def assert_text_contrast(
    page: Any, *, minimum: float = 4.5, large_text_minimum: float = 3.0
) -> None:
    """Every visible run of text (body copy, links, labels, buttons, messages) against the
    background actually painted behind it, by WCAG 2.2 relative luminance: 4.5:1, or 3:1 for
    large text (24 px, or 18.66 px bold). Hover and focus states are not covered."""
    failures = text_contrast_failures(page, minimum=minimum, large_text_minimum=large_text_minimum)
    if failures:
        raise AssertionError(f"Low text contrast on {page.url}:\n- " + "\n- ".join(failures))


def assert_no_horizontal_scroll(page: Any) -> None:
    sizes = page.evaluate("""() => ({
        scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth,
        widest: Array.from(document.querySelectorAll("body *"))
          .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
          .slice(0, 5).map((element) => element.tagName.toLowerCase()
            + (element.id ? "#" + element.id : "")
            + (element.className && typeof element.className === "string"
               ? "." + element.className.trim().split(/\\s+/).join(".") : "")
            + ` (right edge ${Math.round(element.getBoundingClientRect().right)}px)`),
    })""")
    if sizes["scrollWidth"] > sizes["innerWidth"]:
        raise AssertionError(
            f"{page.url} scrolls sideways: {sizes['scrollWidth']}px of content in a "
            f"{sizes['innerWidth']}px window; too wide: {', '.join(sizes['widest'])}"
        )


# --- keyboard ------------------------------------------------------------------------------------


def _normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip("*").strip().casefold()


def focused_name(page: Any) -> str:
    """The accessible name of the focused element (label text, aria-label, button text...)."""
    return str(
        page.evaluate(
            f"() => {{ {_ACCESSIBLE_NAME_JS} return accessibleName(document.activeElement); }}"
        )
    )


def _matches(name: str, wanted: str | re.Pattern[str]) -> bool:
    if isinstance(wanted, re.Pattern):
        return wanted.search(name) is not None
    return _normalize(name) == _normalize(wanted)


def tab_to(
    page: Any, name: str | re.Pattern[str], *, max_presses: int = 80, backwards: bool = False
) -> None:
    """Press Tab (or Shift+Tab) until the focused element's accessible name is ``name``
    (whole text, case and whitespace ignored, a trailing required-field ``*`` ignored) or
    matches the pattern. Fails listing what was reached, which doubles as a focus-order report."""
    key = "Shift+Tab" if backwards else "Tab"
    visited: list[str] = []
    for _ in range(max_presses):
        page.keyboard.press(key)
        current = focused_name(page)
        if _matches(current, name):
            return
        visited.append(current)
    raise AssertionError(
        f"{name!r} cannot be reached with {key} from where focus was; reached, in order: {visited}"
    )


def type_into(page: Any, name: str | re.Pattern[str], text: str, *, clear: bool = True) -> None:
    """Tab to a field by its label and type into it as a person would."""
    tab_to(page, name)
    if clear:
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.press("Delete")
    page.keyboard.type(text)


def choose_option(page: Any, name: str | re.Pattern[str], option: str) -> None:
    """Tab to a <select> by its label, then pick ``option`` (its visible text) with the arrow
    keys, the way a keyboard user does without opening the list."""
    tab_to(page, name)
    selected = "() => document.activeElement.selectedOptions[0]?.textContent.trim() ?? ''"
    page.keyboard.press("Home")
    count = page.evaluate("() => document.activeElement.options.length")
    for _ in range(count):
        if _normalize(page.evaluate(selected)) == _normalize(option):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{option!r} is not an option of {name!r}")


# --- sessions ------------------------------------------------------------------------------------


def sign_in_as(page: Any, user: Any, live_server_url: str) -> None:
    """Give the page's browser context a signed-in session for ``user`` (no form, no MFA):
    for tests whose subject is a page behind sign-in, not the sign-in itself."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": live_server_url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
