"""The accessibility check itself bites: deliberately broken pages fail it, clean ones pass.

The pages are served to the browser with a Content-Security-Policy as strict as the app's (no
inline scripts), so these tests also show that axe-core runs without loosening it.
"""

from __future__ import annotations

import pytest

from accessibility.axe import AccessibilityError, assert_accessible, report, watch

pytestmark = pytest.mark.browser

CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"
PIXEL = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk"
         "+A8AAQUBAScY42YAAAAASUVORK5CYII=")


def _html(body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>Test page</title></head><body><main><h1>Test page</h1>{body}</main>'
            f'</body></html>')


@pytest.fixture
def serve(browser):
    """serve(body, width=1280) -> a page showing `body` at http://checker.test/ with a strict
    CSP, in a browser context of its own (not the watched fixtures)."""
    contexts = []

    def open_page(body: str, width: int = 1280):
        mobile = width <= 576
        context = browser.new_context(viewport={"width": width, "height": 800},
                                      is_mobile=mobile, has_touch=mobile)
        contexts.append(context)
        page = context.new_page()
        page.route("http://checker.test/**", lambda route: route.fulfill(
            status=200, body=_html(body), content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": CSP}))
        page.goto("http://checker.test/")
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_an_image_without_alt_text_fails(serve):
    page = serve(f'<p>A scan of the MoU:</p><img src="{PIXEL}" class="scan">')
    assert page.evaluate("() => window.axe === undefined")  # the page's CSP was not loosened
    with pytest.raises(AccessibilityError) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "[critical] image-alt" in message
    assert "Images must have alternative text" in message  # the help text
    assert "img.scan" in message or "\n    img" in message  # the element's selector


def test_an_unnamed_button_and_an_unlabelled_field_fail(serve):
    page = serve('<form><input type="text" name="q"><button type="submit"></button></form>')
    with pytest.raises(AccessibilityError) as failure:
        assert_accessible(page)
    assert "button-name" in str(failure.value)
    assert "label" in str(failure.value)


def test_a_page_wider_than_a_phone_fails(serve):
    page = serve("<pre>" + "kedaluwarsa-40-hari-yang-lalu " * 3 + "</pre>", width=390)
    with pytest.raises(AccessibilityError) as failure:
        assert_accessible(page)
    assert "scrolls sideways" in str(failure.value)
    assert "390 px wide" in str(failure.value)


def test_a_clean_page_passes(serve):
    page = serve(f'<p>A scan of the MoU:</p><img src="{PIXEL}" alt="The signed MoU">'
                 '<form><label for="q">Search</label><input id="q" name="q">'
                 '<button type="submit">Search</button></form>', width=320)
    assert_accessible(page)


def test_watching_a_page_reports_what_each_page_loaded_had(serve):
    page = serve("<p>Nothing wrong here.</p>")
    watch(page)
    page.goto("http://checker.test/broken")  # the route serves the same page: still clean
    report(page)
    page.unroute("http://checker.test/**")
    page.route("http://checker.test/**", lambda route: route.fulfill(
        status=200, body=_html(f'<img src="{PIXEL}">'), content_type="text/html",
        headers={"Content-Security-Policy": CSP}))
    page.goto("http://checker.test/broken")
    for _ in range(200):  # the check runs as the page loads, in the background: wait for it
        if page._accessibility_problems:
            break
        page.wait_for_timeout(100)
    with pytest.raises(AccessibilityError, match="image-alt"):
        report(page)
