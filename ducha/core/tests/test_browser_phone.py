"""Every page a person can reach, as every role, on a 390 px phone: none is wider than the screen.

The crawl starts from each role's landing page and the public portal, follows every link on
this site (one page per route and role: the same template with other data is the same
layout), and on each page compares ``document.documentElement.scrollWidth`` with the window.
A page wider than the phone fails the test naming the page and the element that sticks out
furthest (the innermost one, outside any scroll container). Left out: Django's own admin
(its change lists scroll by design), the API, downloads, and links that change things.
Each page the office reaches (all of them) is looked at once more on a 1440 px desktop: nothing
overflows there either, and tables stay tables (on a phone those of four columns or more become
cards: `ducha.js` labels their cells, `ducha.css` stacks them).
"""

from __future__ import annotations

from urllib.parse import urldefrag, urlparse

import pytest
from django.urls import Resolver404, resolve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}

# Where each role starts; the crawl finds the rest through links.
ROLES = {
    "office": ["/", "/public/"],
    "leader": ["/"],
    "binhai_head": ["/"],  # a unit head
    "heping": ["/"],  # a district's reporter
    None: ["/public/", "/login/"],  # the public, signed out
}
SKIP_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/logout/", "/i18n/")
SKIP_SUFFIXES = (".xlsx", ".csv", ".pdf", ".docx", ".json", ".geojson", ".ico", ".zip")
# Routes that answer with a file or JSON rather than a page.
SKIP_ROUTES = {
    "portal:bulletin_download",
    "portal:manage_download",
    "jobs:file",
    "jobs:status",
    "reporting:evidence",
    "core:healthz",
    "healthz",
}

# What is wrong with the page's layout on this screen: the widest element outside any scroll
# container when the page is wider than the window, and a table cell squeezed so narrow that
# its words stand one character a line (a unit's name in a column two characters wide).
LAYOUT_JS = """
() => {
  const describe = (el, right) => {
    let name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + [...el.classList].map((c) => "." + c).join("");
    const text = (el.innerText || el.value || "").trim().replace(/\\s+/g, " ");
    if (text) name += " «" + text.slice(0, 40) + "»";
    return right ? name + " (right edge " + Math.round(right) + "px)" : name;
  };
  const problems = [];
  const vw = window.innerWidth;
  const sw = document.documentElement.scrollWidth;
  if (sw > vw) {
    const clipped = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== "visible") return true;
      }
      return false;
    };
    let worst = null, worstRight = vw, worstDepth = -1;
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= vw + 1 || clipped(el)) continue;
      let depth = 0;
      for (let p = el; p; p = p.parentElement) depth++;
      if (r.right > worstRight + 1 || (Math.abs(r.right - worstRight) <= 1 && depth > worstDepth)) {
        worst = el; worstRight = r.right; worstDepth = depth;
      }
    }
    problems.push(sw + "px wide: " + (worst ? describe(worst, worstRight) : "?"));
  }
  // A text broken into three lines or more, none wider than two and a half characters.
  const squeezed = (cell) => {
    const font = parseFloat(getComputedStyle(cell).fontSize);
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      if (node.textContent.trim().length < 3) continue;
      range.selectNodeContents(node);
      const lines = [...range.getClientRects()].filter((r) => r.width > 0);
      if (lines.length >= 3 && lines.every((r) => r.width <= 2.5 * font)) return true;
    }
    return false;
  };
  for (const cell of document.querySelectorAll("td, th")) {
    if (cell.getClientRects().length && squeezed(cell)) {
      problems.push("one character a line: " + describe(cell));
      break;
    }
  }
  return problems;
}
"""


def route_of(path: str) -> str | None:
    """The route's name (``app:name``), or None for what the crawl leaves alone."""
    if path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    route = match.view_name
    return None if route in SKIP_ROUTES else route


def crawl(session, starts: list[str], seen_routes: set[str] | None = None):
    """Visit every route reachable by links from ``starts`` once; yields each page's path
    while the page is open (the caller looks at it before the crawl reads its links)."""
    host = urlparse(session.base).netloc
    seen = set() if seen_routes is None else seen_routes
    queue = list(starts)
    queued = set(queue)
    while queue:
        path = queue.pop(0)
        route = route_of(urlparse(path).path)
        if route is None or route in seen:
            continue
        seen.add(route)
        try:
            response = session.page.goto(f"{session.base}{path}", wait_until="load")
        except Exception as error:  # a download: nothing to lay out
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or response.status != 200:
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        yield path
        hrefs = session.page.eval_on_selector_all(
            "a[href]:not([download])", "els => els.map(e => e.href)"
        )
        for href in hrefs:
            url = urlparse(urldefrag(href)[0])
            if url.netloc != host or url.scheme not in ("http", "https"):
                continue
            link = url.path + (f"?{url.query}" if url.query else "")
            if link not in queued:
                queued.add(link)
                queue.append(link)


@pytest.fixture
def demo(db):
    from ducha.demo.services import load_demo

    return load_demo()


def test_no_page_is_wider_than_a_phone_for_any_role(browser_session, demo):
    problems, visited = [], {}
    for username, starts in ROLES.items():
        who = username or "public"
        s = browser_session(viewport=PHONE)
        if username:
            s.login(username)
        for path in crawl(s, starts):
            visited.setdefault(who, []).append(path)
            found = [f"{who} {path}: {p}" for p in s.page.evaluate(LAYOUT_JS)]
            if username == "office":
                # the same page on a desktop (the office sees them all): tables stay tables
                # and nothing overflows there either
                s.page.set_viewport_size(DESKTOP)
                found += [f"{who} {path} at 1440 px: {p}" for p in s.page.evaluate(LAYOUT_JS)]
                stacked = s.page.eval_on_selector_all(
                    "table", "ts => ts.filter(t => getComputedStyle(t).display !== 'table').length"
                )
                if stacked:
                    found.append(f"{who} {path} at 1440 px: {stacked} tables drawn as cards")
                s.page.set_viewport_size(PHONE)
            if found:
                s.shot(f"phone-layout-{who}-{len(problems)}")
            problems += found
        s.close()
    # The crawl really went round: each role reaches a fair share of the site.
    assert len(visited["office"]) >= 60, visited["office"]
    assert len(visited["leader"]) >= 30, visited["leader"]
    assert len(visited["binhai_head"]) >= 30, visited["binhai_head"]
    assert len(visited["heping"]) >= 30, visited["heping"]
    assert len(visited["public"]) >= 3, visited["public"]
    assert problems == [], "layout problems on a 390 px phone:\n" + "\n".join(problems)
