"""The PNG to keep: its title (dataset and network), the epoch, the losses the page shows, and
the legend are in the picture, and its Title and Description text chunks say the same."""

import struct
import zlib

from tests.e2e.lecture import step
from tests.e2e.own_data import download_from_menu
from tests.e2e.picture import png_pixels
from tests.e2e.playground import open_playground

LINK = "#dataset=xor&networkShape=4,2&seed=0.9&showTestData=true"


def text_chunks(data: bytes) -> dict[str, str]:
    """The PNG's tEXt chunks (keyword → text); every chunk's CRC must be right."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        if kind == b"tEXt":
            keyword, text = body.split(b"\0", 1)
            chunks[keyword.decode("latin-1")] = text.decode("latin-1")
        at += 12 + length
    return chunks


def test_the_png_carries_title_epoch_losses_and_legend(page, tmp_path):
    open_playground(page, LINK)
    step(page, 3)
    train = page.locator("#train-loss").inner_text()
    test = page.locator("#test-loss").inner_text()
    data = download_from_menu(page, "Download map (PNG)", tmp_path).read_bytes()
    chunks = text_chunks(data)
    assert chunks["Title"] == "Neural Playground: Exclusive or · hidden layers 4, 2 · Tanh"
    description = chunks["Description"]
    assert description.startswith("Epoch 000,003 · ")
    assert f"training loss {train}" in description and f"test loss {test}" in description
    assert chunks["Software"] == "Neural Playground"
    # Under the map (600 px at x 40, y 70) and its axes: the colour ramp, orange to blue.
    left, right = png_pixels(page, data, [(42, 718), (278, 718)])
    assert left[0] > 200 and left[2] < 80  # orange (#f59322)
    assert right[2] > 150 and right[0] < 60  # blue (#0877bd)
    # Above the map: dark title text on white (some pixel of the first line is ink).
    row = png_pixels(page, data, [(x, 22) for x in range(40, 300, 2)])
    assert min(sum(p[:3]) for p in row) < 300
