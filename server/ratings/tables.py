"""The ratings settings, the invitations (a hashed one-time link per order), the ratings and
the sweep's watermark."""

from piccolo.columns import (
    JSONB,
    Array,
    Boolean,
    ForeignKey,
    Integer,
    Serial,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from server.orders.tables import Order
from server.partners.tables import Organization
from server.staff.tables import Employee


class RatingSettings(Table, tablename="rating_settings"):
    """One row (id 1): when clients are asked and what counts as a low rating."""

    id = Serial(primary_key=True)
    statuses = Array(
        base_column=Varchar(length=50),
        default=[],
        help_text="Status codes that send the invitation; none: every status of the closed group.",
    )
    link_days = SmallInt(default=30, help_text="How long a link works.")
    low_threshold = SmallInt(default=3, help_text="A score at or below it tells the manager.")
    aspects = Boolean(default=False, help_text="Ask for speed, quality and politeness too.")
    updated_at = Timestamptz()


class RatingInvite(Table, tablename="rating_invite"):
    """The one invitation of an order: only the sha256 of its link's token is kept."""

    id = Serial(primary_key=True)
    order = ForeignKey(references=Order, null=False, unique=True, on_delete=OnDelete.cascade)
    token_hash = Varchar(length=64, unique=True, help_text="sha256 hex of the link's token.")
    status = Varchar(length=50, default="", help_text="The status code that sent it.")
    created_at = Timestamptz()
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class Rating(Table, tablename="rating"):
    """A client's rating of an order, with who did the work at the time."""

    id = Serial(primary_key=True)
    order = ForeignKey(references=Order, null=False, unique=True, on_delete=OnDelete.cascade)
    score = SmallInt()
    comment = Text(default="")
    aspects = JSONB(default={}, help_text="{speed|quality|politeness: 1..5} when asked.")
    technician = ForeignKey(references=Employee, null=True, index=True)
    service_center = ForeignKey(references=Organization, null=True, index=True)
    month = Varchar(length=7, index=True, help_text="YYYY-MM in the center's time zone.")
    created_at = Timestamptz(index=True)


class RatingSweep(Table, tablename="rating_sweep"):
    """The invitation sweep's place (one row): the highest audit id it has read."""

    id = Serial(primary_key=True)
    audit_id = Integer(default=0)
