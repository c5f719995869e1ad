"""What other domains use of the time clock: a check from the field app's sync, and the days
and minutes worked that payroll pays by."""

from __future__ import annotations

from server.timeclock.checks import check
from server.timeclock.days import worked
from server.timeclock.schemas import CheckIn

__all__ = ["CheckIn", "check", "worked"]
