"""The app shell pages: login, logout, language, home and one's profile."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import Cookie
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.acts import pages as acts_pages
from server.audit.pages import audit_page
from server.auth import services as auth
from server.auth.controllers import clear_session_cookie, session_cookies
from server.cabinet import pages as cabinet_pages
from server.cashdesk import pages as cashdesk_pages
from server.clients import pages as clients_pages
from server.deliveries import pages as deliveries_pages
from server.dispatch import pages as dispatch_pages
from server.documents import pages as documents_pages
from server.errors import DomainError
from server.files import pages as files_pages
from server.finance import pages as finance_pages
from server.guards import CurrentActor
from server.i18n import LANGUAGES, gettext
from server.middleware import LANGUAGE_COOKIE, client_ip
from server.notify import pages as notify_pages
from server.orders import intake as order_intake
from server.orders import pages as order_pages
from server.orders import settings_pages as order_settings_pages
from server.partners import pages as partners_pages
from server.payroll import pages as payroll_pages
from server.portal.controllers import page_handlers as portal_pages
from server.purchasing import pages as purchasing_pages
from server.purchasing import supplier_pages
from server.ratings import pages as ratings_pages
from server.requests import pages as requests_pages
from server.requests import public_pages as requests_public_pages
from server.responsibles import pages as responsibles_pages
from server.sla import pages as sla_pages
from server.staff import pages as staff_pages
from server.staff.permissions import Section
from server.stock import pages as stock_pages
from server.timeclock import pages as timeclock_pages
from server.web import field as field_app
from server.web.forms import errors_of, read_form
from server.web.templating import page_context

Next = Annotated[str, QueryParameter(max_length=500)]


def safe_next(target: str | None) -> str:
    """A local path to go to after login; anything else becomes the home page."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@get("/login", opt={"public": True}, include_in_schema=False)
async def login_page(request: Request[Any, Any, Any], next: Next = "/") -> Template | Redirect:
    """The login form (or home, for someone logged in)."""
    if isinstance(request.scope.get("user"), Actor):
        return Redirect(safe_next(next))
    return Template(
        "auth/login.html", context=page_context(None, errors={}, login="", next=safe_next(next))
    )


@post("/login", opt={"public": True}, include_in_schema=False)
async def login_submit(request: Request[Any, Any, Any]) -> Template | Redirect:
    """Check the login form; on success go where the person was heading."""
    form = await read_form(request)
    login = str(form.get("login", ""))[:254]
    target = safe_next(str(form.get("next", "/")))
    try:
        token, employee = await auth.login(
            login,
            str(form.get("password", ""))[:256],
            ip=client_ip(request.scope),
            user_agent=request.headers.get("user-agent", ""),
        )
    except DomainError as error:
        status = error.status_code if error.status_code in (401, 403, 429) else 400
        context = page_context(None, errors=errors_of(error), login=login, next=target)
        return Template("auth/login.html", context=context, status_code=status)
    cookies = session_cookies(request, token)
    cookies.append(Cookie(key=LANGUAGE_COOKIE, value=employee.language, path="/", samesite="lax"))
    return Redirect(target, cookies=cookies)


@post("/logout", include_in_schema=False)
async def logout_submit(actor: CurrentActor) -> Redirect:
    """End the session and show the login page."""
    await auth.logout(actor)
    return Redirect("/login", cookies=[clear_session_cookie()])


@get("/language/{code:str}", opt={"public": True}, include_in_schema=False)
async def choose_language(
    request: Request[Any, Any, Any],
    code: Annotated[str, PathParameter(max_length=5)],
    next: Next = "/",
) -> Redirect:
    """Switch the UI language (remembered for the employee when logged in)."""
    language = code if code in LANGUAGES else "ru"
    actor = request.scope.get("user")
    if isinstance(actor, Actor):
        await auth.set_language(actor, language)
    cookie = Cookie(key=LANGUAGE_COOKIE, value=language, path="/", samesite="lax", max_age=10**8)
    return Redirect(safe_next(next), cookies=[cookie])


@get("/", include_in_schema=False)
async def home(actor: CurrentActor) -> Template:
    """The start page: one's orders by stage, open reminders, the sections one may open."""
    from server.clients.reminders import ReminderService
    from server.orders.services import OrderService
    from server.staff.permissions import Action, Capability
    from server.staff.services import StaffService

    employee = await StaffService(actor).get_employee(actor.employee_id)
    counts = await OrderService(actor).summary() if actor.can(Section.ORDERS, Action.VIEW) else {}
    reminders = (await ReminderService(actor).list_reminders())[:5]
    context = page_context(
        actor,
        roles=[r.name for r in employee.roles],
        counts=counts,
        own_only=not actor.has(Capability.ALL_ORDERS),
        reminders=reminders,
    )
    return Template("home.html", context=context)


async def _profile(actor: Actor, *, status_code: int = 200, **values: Any) -> Template:
    from server.staff.services import StaffService

    employee = await StaffService(actor).get_employee(actor.employee_id)
    sessions = await auth.list_sessions(actor)
    values.setdefault("errors", {})
    context = page_context(actor, employee=employee, sessions=sessions, **values)
    return Template("auth/profile.html", context=context, status_code=status_code)


@get("/profile", include_in_schema=False)
async def profile(
    actor: CurrentActor, done: Annotated[str, QueryParameter(max_length=30)] = ""
) -> Template:
    """One's profile: language, password, active sessions."""
    notices = {
        "password": gettext("Password changed. Other sessions have been ended"),
        "sessions": gettext("Sessions ended"),
    }
    return await _profile(actor, notice=notices.get(done))


@post("/profile/password", include_in_schema=False)
async def profile_password(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Change one's password from the profile page."""
    form = await read_form(request)
    try:
        token = await auth.change_password(
            actor,
            str(form.get("current_password", ""))[:256],
            str(form.get("new_password", ""))[:256],
            user_agent=request.headers.get("user-agent", ""),
        )
    except DomainError as error:
        return await _profile(actor, status_code=400, errors=errors_of(error))
    return Redirect("/profile?done=password", cookies=session_cookies(request, token))


@post("/profile/sessions/{session_id:str}/end", include_in_schema=False)
async def profile_end_session(
    actor: CurrentActor, session_id: Annotated[str, PathParameter(max_length=32)]
) -> Redirect:
    """End one of one's sessions."""
    await auth.end_session(actor, session_id)
    return Redirect("/profile?done=sessions")


@post("/profile/logout-everywhere", include_in_schema=False)
async def profile_logout_everywhere(actor: CurrentActor) -> Redirect:
    """End every session but this one."""
    await auth.end_all_sessions(actor, keep_current=True)
    return Redirect("/profile?done=sessions")


@get("/settings", include_in_schema=False)
async def settings_page(actor: CurrentActor) -> Template:
    """The index of the settings pages."""
    from server.staff.permissions import Action
    from server.web.templating import SETTINGS_PAGES

    pages = [
        (href, label) for href, label, section in SETTINGS_PAGES if actor.can(section, Action.VIEW)
    ]
    if not pages:
        actor.require(Section.SETTINGS, Action.VIEW)
    return Template("settings.html", context=page_context(actor, pages=pages))


handlers = [
    login_page,
    login_submit,
    logout_submit,
    choose_language,
    home,
    profile,
    profile_password,
    profile_end_session,
    profile_logout_everywhere,
    *staff_pages.handlers,
    *order_intake.handlers,
    *order_pages.handlers,
    *order_settings_pages.handlers,
    *files_pages.handlers,
    *portal_pages,
    *clients_pages.handlers,
    *documents_pages.handlers,
    audit_page,
    settings_page,
    *field_app.handlers,
    *dispatch_pages.handlers,
    *notify_pages.handlers,
    *sla_pages.handlers,
    *acts_pages.handlers,
    *responsibles_pages.handlers,
    *ratings_pages.public_handlers,
    *ratings_pages.handlers,
    *cabinet_pages.handlers,
    *partners_pages.handlers,
    *stock_pages.handlers,
    *cashdesk_pages.handlers,
    *finance_pages.handlers,
    *payroll_pages.handlers,
    *timeclock_pages.handlers,
    *requests_pages.handlers,
    *requests_public_pages.handlers,
    *deliveries_pages.handlers,
    *purchasing_pages.handlers,
    *supplier_pages.handlers,
]
