"""Accessibility checks for pages in the test browser: axe-core and sideways scrolling.

    from accessibility.axe import assert_accessible
    assert_accessible(page)        # raises AccessibilityError listing every problem

axe-core (vendored in vendor/axe-core/, MPL-2.0) is evaluated in the page through the
browser's own evaluation channel, which the app's Content-Security-Policy does not govern: the
app's CSP stays as strict as in production. A page fails on any violation of impact serious or
critical under the WCAG 2.0 / 2.1 A and AA rules, and on any horizontal scroll of the whole
document (`document.documentElement.scrollWidth > window.innerWidth`).

`watch(page)` checks every page a test's browser loads, as it loads, and keeps what it finds
for `report(page)` (the browser fixtures call both), so the existing browser tests check each
page they visit without saying so.
"""

from __future__ import annotations

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IMPACTS = ("serious", "critical")

# One run at a time per page (a check as the page loads and one for a screenshot may meet),
# each after the transitions under way have ended (a menu fading in is not yet its colours).
_RUN = """async (tags) => {
  const settled = () => Promise.all(document.getAnimations()
    .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map(a => a.finished.catch(() => null)));
  const run = () => settled().then(() => window.axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}));
  const next = (window.__axeRuns || Promise.resolve()).then(run, run);
  window.__axeRuns = next.catch(() => null);
  const result = await next;
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), impact: n.impact,
                              summary: n.failureSummary}))}));
}"""

# A phone's layout viewport widens to fit content that sticks out, so the width the page was
# opened at is the measure, not window.innerWidth alone.
_OVERFLOW = """(viewport) => {
  const width = Math.min(window.innerWidth, viewport || window.innerWidth);
  const over = document.documentElement.scrollWidth - width;
  if (over <= 0) return null;
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (clipped(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 && box.width > 0) {
      const parent = el.parentElement && el.parentElement.getBoundingClientRect();
      if (!parent || parent.right <= width + 0.5) {
        wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                  (el.className && typeof el.className === 'string'
                   ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
                  ' (right edge ' + Math.round(box.right) + ' px)');
      }
    }
    if (wide.length >= 5) break;
  }
  return {over: over, width: width, elements: wide};
}"""


class AccessibilityError(AssertionError):
    """A page broke a WCAG rule axe-core checks, or scrolled sideways."""


def _inject(page) -> None:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate("if (typeof window.axe !== 'object') {\n" + AXE_SOURCE + "\n}\n;0")


def axe_violations(page, impacts=IMPACTS) -> list[dict]:
    """The WCAG A/AA violations axe-core finds in the page, of the given impacts."""
    _inject(page)
    return [v for v in page.evaluate(_RUN, WCAG_TAGS) if v["impact"] in impacts]


def horizontal_overflow(page) -> dict | None:
    """How far the page scrolls sideways and what sticks out; None when it does not."""
    viewport = page.viewport_size
    return page.evaluate(_OVERFLOW, viewport["width"] if viewport else None)


def problems_of(page) -> list[str]:
    """Every accessibility problem of the page as it is now, one readable text each."""
    where = page.url
    found = []
    for v in axe_violations(page):
        lines = [f"{where}: [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})"]
        lines += [f"    {node['target']}" for node in v["nodes"][:10]]
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more")
        found.append("\n".join(lines))
    overflow = horizontal_overflow(page)
    if overflow:
        found.append(f"{where}: the page scrolls sideways by {overflow['over']} px at "
                     f"{overflow['width']} px wide\n"
                     + "\n".join(f"    {e}" for e in overflow["elements"]))
    return found


def assert_accessible(page) -> None:
    """Fail, listing each problem (rule, elements, help), unless the page is clean."""
    found = problems_of(page)
    if found:
        raise AccessibilityError(f"{len(found)} accessibility problem(s):\n"
                                 + "\n".join(found))


def watch(page) -> None:
    """Check each page `page` loads as it loads; `report(page)` raises what was found."""
    found: dict[str, None] = {}
    page._accessibility_problems = found

    def on_load(_):
        try:
            if page.url.startswith("http"):
                found.update(dict.fromkeys(problems_of(page)))
        except Exception:  # navigated on or closed meanwhile: the next page is checked
            pass

    page.on("load", on_load)


def report(page) -> None:
    """Raise AccessibilityError for every problem `watch` found on the pages loaded."""
    found = list(getattr(page, "_accessibility_problems", {}))
    if found:
        raise AccessibilityError(f"{len(found)} accessibility problem(s) on the pages this "
                                 "test visited:\n" + "\n".join(found))
