"""Events, rules, messages and their delivery log, push subscriptions and the VAPID keys."""

from piccolo.columns import (
    JSONB,
    Array,
    Boolean,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Time,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from server.orders.tables import Order
from server.staff.tables import Employee


class NotifyEvent(Table, tablename="notify_event"):
    """Something happened that rules may tell people about. `key` makes an emit idempotent;
    `settled_at` ends the repeats of every rule it started (the act got attached, the order
    left the status)."""

    id = Serial(primary_key=True)
    event = Varchar(length=40, index=True)
    key = Varchar(length=200, unique=True)
    order = ForeignKey(references=Order, null=True, index=True)
    employee = ForeignKey(references=Employee, null=True, help_text="Whom it is about.")
    context = JSONB(default={})
    created_at = Timestamptz()
    processed_at = Timestamptz(null=True, default=None, index=True)
    settled_at = Timestamptz(null=True, default=None)


class NotifyRule(Table, tablename="notify_rule"):
    """Event x recipients x channels, with a delay, a repeat interval and a maximum count."""

    id = Serial(primary_key=True)
    name = Varchar(length=200)
    event = Varchar(length=40, index=True)
    statuses = Array(
        base_column=Varchar(length=50), default=[], help_text="Status codes; none: any."
    )
    order_types = Array(base_column=Integer(), default=[], help_text="Order type ids; none: any.")
    recipients = Array(base_column=Varchar(length=40), default=[])
    channels = Array(base_column=Varchar(length=10), default=[])
    delay_minutes = Integer(default=0)
    repeat_minutes = Integer(default=0, help_text="0: once.")
    max_count = Integer(default=1)
    subject = Text(default="")
    body = Text(default="")
    enabled = Boolean(default=True)
    code = Varchar(length=50, null=True, default=None, unique=True, help_text="A shipped default.")
    updated_at = Timestamptz()


class RuleRun(Table, tablename="notify_rule_run"):
    """A rule working on an event: how many times it fired and when it fires next."""

    id = Serial(primary_key=True)
    rule = ForeignKey(references=NotifyRule, null=False)
    notify_event = ForeignKey(references=NotifyEvent, null=False, index=True)
    fired = Integer(default=0)
    next_at = Timestamptz(null=True, index=True)
    done_at = Timestamptz(null=True, default=None)


class Message(Table, tablename="notify_message"):
    """One message to one recipient on one channel. `key` (event, rule, fire, recipient,
    channel) is unique: two workers, a retry or a restart never make or send it twice."""

    id = Serial(primary_key=True)
    key = Varchar(length=300, unique=True)
    notify_event = ForeignKey(references=NotifyEvent, null=True, index=True)
    rule = ForeignKey(references=NotifyRule, null=True)
    channel = Varchar(length=10, help_text="inapp, push, email, sms")
    employee = ForeignKey(references=Employee, null=True, index=True)
    address = Varchar(length=320, default="", help_text="The email or phone it goes to.")
    language = Varchar(length=5, default="ru")
    subject = Varchar(length=300, default="")
    body = Text(default="")
    html = Text(default="")
    link = Varchar(length=500, default="")
    urgency = Varchar(length=10, default="normal")
    status = Varchar(length=10, index=True, help_text="queued, outbox, sent, failed")
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(null=True, index=True)
    last_error = Text(default="")
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)
    read_at = Timestamptz(null=True, default=None)


class MessageLog(Table, tablename="notify_message_log"):
    """What happened to a message: queued, sent, failed (with the reason), read."""

    id = Serial(primary_key=True)
    message = ForeignKey(references=Message, null=False, index=True)
    at = Timestamptz()
    state = Varchar(length=12)
    detail = Varchar(length=500, default="")


class PushSubscription(Table, tablename="push_subscription"):
    """A browser's Web Push subscription of an employee."""

    id = Serial(primary_key=True)
    employee = ForeignKey(references=Employee, null=False, index=True)
    endpoint = Varchar(length=1000, unique=True)
    p256dh = Varchar(length=200)
    auth = Varchar(length=100)
    user_agent = Varchar(length=300, default="")
    created_at = Timestamptz()
    last_sent_at = Timestamptz(null=True, default=None)


class VapidKey(Table, tablename="vapid_key"):
    """The server's VAPID key pair, made on first start (one row)."""

    id = Serial(primary_key=True)
    private_pem = Text()
    public_key = Varchar(length=200, help_text="Uncompressed P-256 point, base64url.")
    created_at = Timestamptz()


class NotifyPreference(Table, tablename="notify_preference"):
    """An employee's channels for one event (no row: the rule's channels)."""

    id = Serial(primary_key=True)
    employee = ForeignKey(references=Employee, null=False, index=True)
    event = Varchar(length=40)
    channels = Array(base_column=Varchar(length=10), default=[])


class QuietHours(Table, tablename="notify_quiet_hours"):
    """When an employee wants no push, email or SMS (in-app still arrives); the center's time."""

    id = Serial(primary_key=True)
    employee = ForeignKey(references=Employee, null=False, unique=True)
    starts = Time()
    ends = Time()
