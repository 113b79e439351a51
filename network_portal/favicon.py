"""Draw the portal's bitmap icons from the same shapes as ``static/favicon.svg``.

Browsers that take no SVG icon read ``favicon.ico`` (16, 32 and 48 px) and iOS reads
``apple-touch-icon.png`` (180 px). Run ``python -m network_portal.favicon`` after changing the
SVG, and commit the files it writes into ``static/``.
"""

from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parent.parent / "static"
BLUE = "#141e82"
GOLD = "#ffbf47"
SCALE = 16  # drawn 16 times larger, then reduced: smooth edges at every size


def draw(size, *, rounded=True):
    """The icon at ``size`` px: the network's three linked nodes on the portal's blue."""
    s = 32 * SCALE
    image = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, s - 1, s - 1), radius=6 * SCALE if rounded else 0, fill=BLUE)
    top, left, right = (16, 10), (9, 22), (23, 22)
    width = round(2.5 * SCALE)
    for start, end in [(left, top), (top, right), (left, right)]:
        pen.line([_at(start), _at(end)], fill="white", width=width)
    for x, y in [top, left, right]:
        radius = 3.5 * SCALE
        pen.ellipse(
            (x * SCALE - radius, y * SCALE - radius, x * SCALE + radius, y * SCALE + radius),
            fill=GOLD,
        )
    return image.resize((size, size), Image.Resampling.LANCZOS)


def _at(point):
    return (point[0] * SCALE, point[1] * SCALE)


def main():
    draw(48).save(STATIC / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    # iOS rounds the corners itself and shows transparency as black.
    draw(180, rounded=False).convert("RGB").save(STATIC / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
