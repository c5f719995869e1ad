"""What other domains read of ratings: how clients rated an employee's work in a period."""

from __future__ import annotations

import datetime as dt

from server.ratings.tables import Rating


async def technician_scores(
    employee_id: int, first: dt.datetime, last: dt.datetime
) -> tuple[int, float | None]:
    """(how many ratings, their average) of the employee's orders rated in [first, last)."""
    rows = await Rating.raw(
        "SELECT count(*) AS n, avg(score)::float AS average FROM rating"
        " WHERE technician = {} AND created_at >= {} AND created_at < {}",
        employee_id,
        first,
        last,
    )
    return int(rows[0]["n"]), rows[0]["average"]
