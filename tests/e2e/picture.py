"""Reading an exported PNG's pixels through the browser (the page's own decoder)."""

from __future__ import annotations

import base64

from playwright.sync_api import Page


def png_pixels(page: Page, data: bytes, points: list[tuple[int, int]]) -> list[list[int]]:
    """RGBA of the PNG at each (x, y), decoded by the browser."""
    url = "data:image/png;base64," + base64.b64encode(data).decode()
    return page.evaluate(
        """async ([url, points]) => {
            const image = new Image();
            image.src = url;
            await image.decode();
            const canvas = document.createElement('canvas');
            canvas.width = image.naturalWidth;
            canvas.height = image.naturalHeight;
            const context = canvas.getContext('2d');
            context.drawImage(image, 0, 0);
            return points.map(([x, y]) => Array.from(context.getImageData(x, y, 1, 1).data));
        }""",
        [url, points],
    )
