"""Piccolo configuration: the engine and the registry of domain apps (with their migrations)."""

from piccolo.conf.apps import AppRegistry

from server.db import make_engine

DB = make_engine()

APP_REGISTRY = AppRegistry(
    apps=[
        "server.partners.piccolo_app",
        "server.staff.piccolo_app",
        "server.auth.piccolo_app",
        "server.audit.piccolo_app",
        "server.clients.piccolo_app",
        "server.orders.piccolo_app",
        "server.acts.piccolo_app",
        "server.requests.piccolo_app",
        "server.responsibles.piccolo_app",
        "server.files.piccolo_app",
        "server.documents.piccolo_app",
        "server.dispatch.piccolo_app",
        "server.sync.piccolo_app",
        "server.notify.piccolo_app",
        "server.sla.piccolo_app",
        "server.ratings.piccolo_app",
        "server.cabinet.piccolo_app",
        "server.stock.piccolo_app",
        "server.deliveries.piccolo_app",
        "server.purchasing.piccolo_app",
        "server.jobs.piccolo_app",
        "server.cashdesk.piccolo_app",
        "server.finance.piccolo_app",
        "server.payroll.piccolo_app",
        "server.timeclock.piccolo_app",
        "server.refcache.piccolo_app",
    ]
)
