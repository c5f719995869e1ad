"""One-time sign-in links of customers, their short sessions, and the asks (throttling).

A link and a session hold the clients whose contact the link was sent to (an email or a
phone can belong to several client cards: the same person entered twice, a family), found
when the link was asked for; only the sha256 of each token is stored."""

from piccolo.columns import Array, Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table


class CabinetLink(Table, tablename="cabinet_link"):
    """A one-time link sent to a contact of one or more clients."""

    id = Serial(primary_key=True)
    clients = Array(base_column=Integer(), default=[], help_text="Client ids of the contact.")
    token_hash = Varchar(length=64, unique=True)
    contact = Varchar(length=254, help_text="The email or phone it was sent to.")
    created_at = Timestamptz()
    expires_at = Timestamptz(index=True)
    used_at = Timestamptz(null=True, default=None)


class CabinetSession(Table, tablename="cabinet_session"):
    """A customer's session opened by a link (the cookie carries the token)."""

    id = Serial(primary_key=True)
    clients = Array(base_column=Integer(), default=[])
    token_hash = Varchar(length=64, unique=True)
    contact = Varchar(length=254, default="")
    created_at = Timestamptz()
    expires_at = Timestamptz(index=True)


class CabinetAsk(Table, tablename="cabinet_ask"):
    """An ask for a link, matched or not: throttling per address and per contact."""

    id = Serial(primary_key=True)
    at = Timestamptz(index=True)
    ip = Varchar(length=64, index=True)
    contact = Varchar(length=254, index=True)
