"""Zones as plain geometry and text: a point in a polygon, a place named in an address."""

from __future__ import annotations

import re
from collections.abc import Sequence

from server.errors import InvalidInput

MAX_POINTS = 2000


def clean_polygon(points: Sequence[Sequence[float]], field: str = "polygon") -> list[list[float]]:
    """Checked [[lat, lon], ...]: none, or at least 3 distinct points within the globe's ranges
    (a repeated closing point is dropped)."""
    cleaned: list[list[float]] = []
    for number, point in enumerate(points, start=1):
        if len(point) != 2:
            raise InvalidInput("Point {n}: give latitude and longitude", field=field, n=number)
        lat, lon = float(point[0]), float(point[1])
        if not (-90 <= lat <= 90) or not (-180 <= lon <= 180) or lat != lat or lon != lon:
            raise InvalidInput(
                "Point {n}: latitude is −90…90 and longitude −180…180", field=field, n=number
            )
        cleaned.append([lat, lon])
    if len(cleaned) > 1 and cleaned[0] == cleaned[-1]:
        cleaned.pop()
    if cleaned and len({(p[0], p[1]) for p in cleaned}) < 3:
        raise InvalidInput("A zone's polygon needs at least 3 different points", field=field)
    if len(cleaned) > MAX_POINTS:
        raise InvalidInput("At most {n} points in a polygon", field=field, n=MAX_POINTS)
    return cleaned


def parse_points(text: str, field: str = "polygon") -> list[list[float]]:
    """Points pasted as text: «lat, lon» or «lat lon» per line (or `;` between points)."""
    points: list[list[float]] = []
    for number, chunk in enumerate(re.split(r"[\n;]+", text.strip()), start=1):
        chunk = chunk.strip().strip("[]() ")
        if not chunk:
            continue
        parts = [p for p in re.split(r"[,\s]+", chunk) if p]
        try:
            if len(parts) != 2:
                raise ValueError
            points.append([float(parts[0]), float(parts[1])])
        except ValueError:
            raise InvalidInput(
                "Line {n}: write a point as «55.75, 37.61»", field=field, n=number
            ) from None
    return points


def contains(polygon: Sequence[Sequence[float]], lat: float, lon: float) -> bool:
    """True when the point is inside the polygon of [lat, lon] vertices (ray casting; a point on
    an edge may fall either way)."""
    inside = False
    count = len(polygon)
    if count < 3:
        return False
    j = count - 1
    for i in range(count):
        yi, xi = polygon[i][0], polygon[i][1]
        yj, xj = polygon[j][0], polygon[j][1]
        if (yi > lat) != (yj > lat):
            crossing = xi + (lat - yi) * (xj - xi) / (yj - yi)
            if lon < crossing:
                inside = not inside
        j = i
    return inside


def normal(text: str) -> str:
    """Text compared case-insensitively, ё as е, spaces collapsed."""
    return " ".join(text.casefold().replace("ё", "е").split())


def names_place(text: str, place: str) -> bool:
    """True when the place (a city, a district) is named in the text as whole words."""
    wanted = normal(place)
    if not wanted:
        return False
    pattern = r"(?<!\w)" + re.escape(wanted) + r"(?!\w)"
    return re.search(pattern, normal(text)) is not None


def clean_places(values: Sequence[str], field: str = "places") -> list[str]:
    """Places without blanks and repeats, in the order given."""
    seen: dict[str, str] = {}
    for value in values:
        name = " ".join(value.split())
        if "\x00" in name:
            raise InvalidInput("A place name cannot hold control characters", field=field)
        if name and normal(name) not in seen:
            seen[normal(name)] = name
    return list(seen.values())
