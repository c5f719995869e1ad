"""Kinds of payroll lines and states of periods, with their labels."""

from __future__ import annotations

from server.i18n import N_

KIND_LABELS = {
    "base": N_("Base salary"),
    "work": N_("Share of work"),
    "margin": N_("Share of parts margin"),
    "per_line": N_("Per line"),
    "bonus": N_("Bonus"),
    "deduction": N_("Deduction"),
}
STATE_LABELS = {"open": N_("Open"), "approved": N_("Approved"), "locked": N_("Locked")}
