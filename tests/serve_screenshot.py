"""The README's picture of an entity page: ``python -m tests.serve_screenshot``.

Starts ``copgraph serve`` as the tests do, opens /id/unicef in Debian's Chromium and writes
docs/serve-entity.png (not a test: run it when the pages change).
"""

from __future__ import annotations

from playwright.sync_api import sync_playwright

from .conftest import ROOT, running_server
from .test_browser import launch

OUT = ROOT / "docs" / "serve-entity.png"


def main() -> None:
    import tempfile

    with running_server() as (url, _), sync_playwright() as playwright:
        with tempfile.TemporaryDirectory() as profile:
            context = launch(playwright, profile, allowed=url)
            page = context.new_page()
            page.set_viewport_size({"width": 1100, "height": 900})
            page.goto(url + "id/unicef")
            page.screenshot(path=str(OUT))
            context.close()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
