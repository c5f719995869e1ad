"""What other domains use of the time clock: a check from the field app's sync, and the days
and minutes worked that payroll pays by."""

from __future__ import annotations

from typing import Any

from server.timeclock.checks import check, last_before
from server.timeclock.days import worked
from server.timeclock.schemas import CheckIn

__all__ = ["CheckIn", "check", "state", "worked"]


async def state(employee_id: int) -> dict[str, Any]:
    """Whether the employee is checked in, and since when (what the field app shows)."""
    last = await last_before(employee_id)
    checked_in = bool(last and last["kind"] == "in")
    return {
        "checked_in": checked_in,
        "since": last["at"].isoformat() if checked_in and last else None,
    }
