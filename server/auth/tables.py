"""Sessions and login attempts, in PostgreSQL so that every server process shares them."""

from piccolo.columns import Boolean, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.table import Table

from server.staff.tables import Employee


class Session(Table):
    """A login session; the cookie holds a random token, the table only its SHA-256."""

    token_hash = Varchar(length=64, primary_key=True)
    public_id = Varchar(length=32, unique=True, help_text="Id shown in the UI to end a session.")
    employee = ForeignKey(references=Employee, null=False)
    created_at = Timestamptz()
    last_seen_at = Timestamptz()
    expires_at = Timestamptz(help_text="Absolute end of the session.")
    ip = Varchar(length=64, default="")
    user_agent = Varchar(length=300, default="")
    revoked_at = Timestamptz(null=True, default=None)
    revoke_reason = Varchar(length=50, default="")


class LoginAttempt(Table):
    """One try to log in, kept for throttling by account and by address."""

    id = Serial(primary_key=True)
    at = Timestamptz(index=True)
    login_key = Varchar(length=254, index=True)
    ip = Varchar(length=64, index=True)
    success = Boolean(default=False)
