"""Make ``network/data/world.json``: every country's outline, projected (Equal Earth) and
rounded, from Natural Earth's 1:110m countries (public domain) as TopoJSON in the npm package
``world-atlas`` 2.0.2. Run once, commit the output::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m network.make_world_map package/countries-110m.json

Countries too small for 1:110m (Singapore, Mauritius, Cabo Verde…) get a marker at the
coordinates listed below instead. Plain Python: no Django, no GIS library.
"""

import itertools
import json
import math
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "data" / "world.json"
WIDTH, HEIGHT = 960, 470
# Small countries and territories (ISO alpha-2: longitude, latitude) shown as markers.
SMALL = {
    "SG": (103.82, 1.35),
    "MU": (57.55, -20.35),
    "CV": (-23.6, 15.1),
    "BH": (50.56, 26.07),
    "MT": (14.4, 35.9),
    "MV": (73.5, 3.2),
    "SC": (55.45, -4.68),
    "KM": (43.87, -11.88),
    "ST": (6.61, 0.19),
    "BB": (-59.54, 13.19),
    "LC": (-60.98, 13.91),
    "GD": (-61.68, 12.12),
    "VC": (-61.2, 13.25),
    "AG": (-61.8, 17.06),
    "DM": (-61.37, 15.41),
    "KN": (-62.78, 17.36),
    "TO": (-175.2, -21.18),
    "WS": (-172.1, -13.76),
    "KI": (-157.36, 1.87),
    "FM": (158.2, 6.9),
    "MH": (171.18, 7.13),
    "PW": (134.58, 7.51),
    "TV": (179.19, -8.52),
    "NR": (166.93, -0.52),
    "AD": (1.52, 42.51),
    "LI": (9.55, 47.17),
    "MC": (7.42, 43.74),
    "SM": (12.46, 43.94),
    "HK": (114.17, 22.32),
    "MO": (113.54, 22.2),
    "BN": (114.73, 4.54),
    "LU": (6.13, 49.82),
    "PS": (35.23, 31.95),
    "QA": (51.18, 25.35),
    "TT": (-61.22, 10.69),
    "RE": (55.54, -21.12),
    "GP": (-61.55, 16.27),
    "MQ": (-61.02, 14.64),
    "YT": (45.17, -12.83),
    "CW": (-68.99, 12.17),
    "AW": (-69.97, 12.52),
    "BM": (-64.75, 32.3),
    "GI": (-5.35, 36.14),
    "VA": (12.45, 41.9),
}

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
# Equal Earth's extent at unit radius: x in ±2.7064, y in ±1.3173.
X_MAX, Y_MAX = 2.7064, 1.3173


def project(lon, lat):
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return (
        round((x + X_MAX) / (2 * X_MAX) * WIDTH, 1),
        round((Y_MAX - y) / (2 * Y_MAX) * HEIGHT, 1),
    )


def decode_arcs(topology):
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indexes):
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def path(arcs, geometry):
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    out = []
    for polygon in polygons:
        for indexes in polygon:
            for points in unwrapped(ring(arcs, indexes)):
                out.append(ring_path(points))
    return "".join(out)


def unwrapped(points):
    """A ring crossing the antimeridian (Fiji, Chukotka) drawn twice, shifted to either side
    (the SVG's box cuts off what falls outside), instead of a line across the whole map."""
    crosses = any(abs(a[0] - b[0]) > 180 for a, b in itertools.pairwise(points))
    if not crosses:
        return [points]
    east = [(lon + 360 if lon < 0 else lon, lat) for lon, lat in points]
    west = [(lon - 360 if lon > 0 else lon, lat) for lon, lat in points]
    return [east, west]


def ring_path(points):
    projected = []
    for lon, lat in points:
        point = project(lon, lat)
        if not projected or point != projected[-1]:
            projected.append(point)
    if len(projected) < 3:
        return ""
    start, *rest = projected
    return f"M{start[0]} {start[1]}" + "".join(f"L{x} {y}" for x, y in rest) + "Z"


def main(source):
    import django
    from django.conf import settings

    settings.configure()
    django.setup()
    from django_countries import countries  # ISO numeric → alpha-2

    topology = json.loads(Path(source).read_text())
    arcs = decode_arcs(topology)
    shapes = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        if not numeric or numeric == "010" or "arcs" not in geometry:  # Antarctica
            continue
        code = countries.alpha2(int(numeric))
        if code:
            shapes[code] = path(arcs, geometry)
    markers = {code: project(lon, lat) for code, (lon, lat) in SMALL.items() if code not in shapes}
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(
        json.dumps(
            {"width": WIDTH, "height": HEIGHT, "shapes": shapes, "markers": markers},
            separators=(",", ":"),
            sort_keys=True,
        )
    )
    print(f"{OUTPUT}: {len(shapes)} countries, {len(markers)} markers")


if __name__ == "__main__":
    main(sys.argv[1])
