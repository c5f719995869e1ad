"""create_app(): plugins, middleware, routers; nothing else."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

import asyncpg
from litestar import Litestar, Router
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from server.acts.controllers import ActController
from server.audit.controllers import AuditController
from server.auth.controllers import AuthController
from server.auth.csrf import CSRFMiddleware
from server.cashdesk.controllers import CashDeskController
from server.clients.controllers import controllers as clients_api
from server.config import PROJECT_ROOT
from server.deliveries.controllers import DeliveryController
from server.dispatch.controllers import PlanController, VisitController
from server.documents.controllers import controllers as documents_api
from server.errors import EXCEPTION_HANDLERS
from server.files.controllers import handlers as files_api
from server.finance.controllers import FinanceController
from server.guards import provide_actor, require_login
from server.health import health
from server.jobs.queue import InProcessWorker
from server.logs import configure_logging
from server.middleware import COMPRESSION, NO_SESSION_PATHS, ActorMiddleware, security_headers
from server.notify.controllers import handlers as notify_api
from server.orders.controllers import CatalogueController, OrderController
from server.orders.settings_controllers import OrderSettingsController
from server.outage import KeepSentForm
from server.partners.controllers import PartnerController
from server.payroll.controllers import PayrollController
from server.portal import controllers as portal
from server.purchasing.controllers import PurchasingController
from server.ratings.controllers import RatingController
from server.requests.controllers import handlers as requests_api
from server.responsibles.controllers import ResponsiblesController
from server.sla.controllers import SlaController
from server.staff.controllers import EmployeeController, MasterProfileController, RoleController
from server.stock.controllers import StockController
from server.sync.controllers import SyncController
from server.timeclock.controllers import TimeClockController
from server.web import pages
from server.web.templating import configure_environment

os.environ.setdefault("PICCOLO_CONF", "server.piccolo_conf")

TEMPLATES_DIR = PROJECT_ROOT / "server" / "templates"
PWA_DIR = PROJECT_ROOT / "pwa"
# Front-end packages installed by `make` from package-lock.json, served as the app's own files.
VENDOR_PATH = "/static/vendor"
LEAFLET_DIR = PROJECT_ROOT / "node_modules" / "leaflet" / "dist"
POOL_CLOSE_WITHIN = 2.0


async def _open_pool() -> None:
    """Open the connection pool; without a database the app still starts and /health says 503."""
    from server.piccolo_conf import DB

    try:
        await DB.start_connection_pool(min_size=1, max_size=10)
    except (TimeoutError, OSError, asyncpg.PostgresError) as error:
        logging.getLogger("servio").error("database unavailable at start: %s", error)


async def _close_pool() -> None:
    """Close the connection pool; connections a stopped request still holds are cut after
    POOL_CLOSE_WITHIN seconds (the server's stop is bounded)."""
    from server.piccolo_conf import DB

    pool = DB.pool
    if pool is None:
        return
    try:
        await asyncio.wait_for(pool.close(), POOL_CLOSE_WITHIN)
    except TimeoutError:
        pool.terminate()
    DB.pool = None


def create_app(**overrides: Any) -> Litestar:
    """The Servio ASGI application."""
    configure_logging()
    # Handlers go straight onto the app: Litestar deep-copies every Router it is given,
    # which cost more than the rest of building the app.
    api = [
        AuthController,
        EmployeeController,
        RoleController,
        MasterProfileController,
        AuditController,
        OrderController,
        CatalogueController,
        OrderSettingsController,
        *files_api,
        *portal.handlers,
        *clients_api,
        *documents_api,
        VisitController,
        PlanController,
        SyncController,
        SlaController,
        ActController,
        ResponsiblesController,
        RatingController,
        *notify_api,
        PartnerController,
        StockController,
        DeliveryController,
        PurchasingController,
        CashDeskController,
        FinanceController,
        PayrollController,
        TimeClockController,
        *requests_api,
    ]
    static = create_static_files_router(
        path="/static", directories=[PWA_DIR], opt={"public": True}, include_in_schema=False
    )
    leaflet = create_static_files_router(
        path=f"{VENDOR_PATH}/leaflet",
        directories=[LEAFLET_DIR],
        opt={"public": True},
        include_in_schema=False,
        name="vendor_leaflet",
    )
    worker = InProcessWorker()
    template_config = TemplateConfig(
        directory=TEMPLATES_DIR, engine=JinjaTemplateEngine, engine_callback=configure_environment
    )
    return Litestar(
        route_handlers=[health, *api, *pages.handlers, static, leaflet],
        guards=[require_login],
        dependencies={"actor": Provide(provide_actor)},
        middleware=[KeepSentForm(), ActorMiddleware(), CSRFMiddleware(bypass=NO_SESSION_PATHS)],
        compression_config=COMPRESSION,
        exception_handlers=EXCEPTION_HANDLERS,
        before_send=[security_headers],
        on_startup=[_open_pool, worker.start],
        on_shutdown=[worker.stop, _close_pool],
        template_config=template_config,
        openapi_config=OpenAPIConfig(
            title="Servio API",
            version="1",
            path="/schema",
            openapi_router=Router(path="/schema", route_handlers=[], opt={"public": True}),
            render_plugins=[JsonRenderPlugin()],
        ),
        logging_config=None,
        debug=False,
        request_max_body_size=20 * 1024 * 1024,
        **overrides,
    )
