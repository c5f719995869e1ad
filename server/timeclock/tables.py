"""The time clock as stored in PostgreSQL: check-ins and check-outs, never edited.

A manager's correction is another entry naming the one it replaces (or none: a missing check
added), and a removal is a correction of kind "void"; reading takes the entries nothing
replaced. Employees belong to the staff domain and are kept here by id.
"""

from piccolo.columns import Boolean, Integer, Real, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class TimeEntry(Table, tablename="timeclock_entry"):
    """One check in or out (or a correction of one)."""

    id = Serial(primary_key=True)
    employee_id = Integer(index=True)
    kind = Varchar(length=5, help_text="in | out | void")
    at = Timestamptz(index=True, help_text="When, as the employee's device or the desk said.")
    source = Varchar(length=10, help_text="desk | field | manager")
    latitude = Real(null=True, default=None)
    longitude = Real(null=True, default=None)
    corrects_id = Integer(null=True, default=None, unique=True, help_text="The entry replaced.")
    is_correction = Boolean(default=False)
    reason = Text(default="")
    author_id = Integer(null=True, default=None)
    created_at = Timestamptz()
