"""The Jinja environment of the pages: translation, dates in the center's time zone, navigation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import msgspec
import phonenumbers
from litestar.plugins.jinja import JinjaTemplateEngine

from server import formats
from server.actor import Actor
from server.i18n import LANGUAGES, N_, current_language, gettext, ngettext, script_strings
from server.orders.labels import label
from server.staff.permissions import Action, Section


@dataclass(frozen=True)
class NavItem:
    """One entry of the app navigation."""

    href: str
    label: str
    icon: str
    section: Section | None = None
    phone: bool = True  # shown in the phone's bottom bar


NAVIGATION = (
    NavItem("/", "Home", "home"),
    NavItem("/orders", "Orders", "wrench", Section.ORDERS),
    NavItem("/requests", "Requests", "list", Section.REQUESTS),
    NavItem("/clients", "Clients", "client", Section.CLIENTS),
    NavItem("/stock", "Stock", "list", Section.STOCK, phone=False),
    NavItem("/dispatch", "Visits", "list", Section.DISPATCH, phone=False),
    NavItem("/sla", "Late orders", "list", Section.ORDERS, phone=False),
    NavItem("/acts", "Acts awaited", "list", Section.ORDERS, phone=False),
    NavItem("/ratings", "Ratings", "list", Section.ORDERS, phone=False),
    NavItem("/deliveries", "Deliveries", "list", Section.DELIVERIES, phone=False),
    NavItem("/purchasing", "Purchasing", "list", Section.PURCHASING, phone=False),
    NavItem("/cash", "Cash desk", "list", Section.FINANCE, phone=False),
    NavItem("/finance", "Finance", "list", Section.FINANCE, phone=False),
    NavItem("/payroll", "Payroll", "list", Section.PAYROLL, phone=False),
    NavItem("/payroll/me", "My earnings", "user", None, phone=False),
    NavItem("/timeclock", "Time clock", "list", None, phone=False),
    NavItem("/field", "My visits", "list", Section.DISPATCH),
    NavItem("/reminders", "Reminders", "bell", None, phone=False),
    NavItem("/staff/employees", "Staff", "users", Section.STAFF),
    NavItem("/staff/roles", "Roles", "shield", Section.STAFF, phone=False),
    NavItem("/settings", "Settings", "gear", Section.SETTINGS, phone=False),
    NavItem("/audit", "Audit log", "list", Section.AUDIT, phone=False),
    NavItem("/profile", "Profile", "user"),
)

# Settings sub-pages: (href, label, section that must be viewable).
SETTINGS_PAGES = (
    ("/settings/workflow", "Order types and statuses", Section.SETTINGS),
    ("/settings/prices", "Price list", Section.SETTINGS),
    ("/settings/custom-fields", "Custom fields", Section.SETTINGS),
    ("/settings/directories", "Device types, brands and models", Section.SETTINGS),
    ("/settings/loyalty", "Loyalty discounts", Section.SETTINGS),
    ("/settings/print-templates", "Print templates", Section.SETTINGS),
    ("/settings/center", "Service center details", Section.SETTINGS),
    ("/settings/notifications", "Notification rules", Section.SETTINGS),
    ("/settings/outbox", "Outbox and delivery log", Section.SETTINGS),
    ("/settings/sla", "Deadlines (SLA)", Section.SETTINGS),
    ("/settings/acts", "Acts", Section.SETTINGS),
    ("/settings/assignment-rules", "Assignment rules", Section.SETTINGS),
    ("/settings/ratings", "Customer ratings", Section.SETTINGS),
    ("/settings/partners", "Partners", Section.SETTINGS),
)


def navigation(actor: Actor | None) -> list[NavItem]:
    """The navigation entries the actor may open."""
    if actor is None:
        return []
    return [i for i in NAVIGATION if i.section is None or actor.can(i.section, Action.VIEW)]


def local_time(value: dt.datetime | None, fmt: str) -> str:
    """A UTC timestamp in the center's time zone, in a machine format (a date input's value);
    what people read goes through the |date and |datetime filters."""
    return "" if value is None else formats.local(value).strftime(fmt)


def phone(value: str | None) -> str:
    """A stored +7... phone in the readable international form: +7 916 123-45-67."""
    if not value:
        return ""
    try:
        parsed = phonenumbers.parse(value, "RU")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def configure_environment(engine: JinjaTemplateEngine) -> None:
    """Register the helpers every page template uses."""
    env = engine.engine
    env.globals.update(
        _=gettext,
        _n=ngettext,
        N_=N_,
        script_strings=script_strings,
        LANGUAGES=LANGUAGES,
        current_language=lambda: current_language.get(),
        navigation=navigation,
        SECTIONS=Section,
        ACTIONS=Action,
    )
    env.filters["local_time"] = local_time
    env.filters["money"] = formats.money
    env.filters["number"] = formats.number
    env.filters["date"] = formats.date
    env.filters["time"] = formats.time
    env.filters["datetime"] = formats.datetime
    env.filters["t"] = gettext
    env.filters["label"] = label
    env.filters["phone"] = phone
    # A field hidden from the viewer is UNSET in the API structs: "x is shown" tests for it.
    env.tests["shown"] = lambda value: value is not msgspec.UNSET
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.auto_reload = False  # the templates ship with the code: no stat of each file per page


def page_context(actor: Actor | None, **values: Any) -> dict[str, Any]:
    """The context every page gets."""
    return {"actor": actor, "lang": current_language.get(), **values}
