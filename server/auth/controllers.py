"""HTTP API of logging in and out and of one's sessions."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import Cookie
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from server.auth import services
from server.auth.csrf import require_json, session_token, token_cookie
from server.auth.schemas import (
    LanguageIn,
    LoginIn,
    LogoutEverywhereIn,
    PasswordChangeIn,
    SessionList,
)
from server.config import get_settings
from server.guards import CurrentActor
from server.middleware import LANGUAGE_COOKIE, client_ip
from server.staff.schemas import EmployeeOut
from server.staff.services import StaffService
from server.tokens import token_hash

SessionId = Annotated[str, PathParameter(max_length=32, pattern=r"^[0-9a-f]{1,32}$")]


def session_cookies(request: Request[Any, Any, Any], token: str) -> list[Cookie]:
    """The session cookie (HttpOnly, SameSite=Lax, Secure on https) and its CSRF token cookie."""
    settings = get_settings()
    secure = request.url.scheme == "https"
    return [
        Cookie(
            key=settings.session_cookie,
            value=token,
            httponly=True,
            samesite="lax",
            secure=secure,
            path="/",
            max_age=settings.session_absolute_minutes * 60,
        ),
        token_cookie(session_token(token_hash(token)), secure=secure),
    ]


def clear_session_cookie() -> Cookie:
    """A cookie that removes the session cookie."""
    return Cookie(key=get_settings().session_cookie, value="", max_age=0, path="/", httponly=True)


class AuthController(Controller):
    """Login, logout, password, language and sessions of the caller."""

    path = "/api/v1/auth"
    tags = ["auth"]

    # No session to bind a token to yet: the login takes JSON only (another site's form cannot
    # send that) and refuses requests the browser says come from another site (CSRFMiddleware).
    @post(
        "/login",
        opt={"public": True, "exclude_from_csrf": True},
        guards=[require_json],
        status_code=200,
    )
    async def login(
        self, request: Request[Any, Any, Any], data: JSONBody[LoginIn]
    ) -> Response[EmployeeOut]:
        """Log in with login or email and password; sets the session cookie."""
        token, employee = await services.login(
            data.login,
            data.password,
            ip=client_ip(request.scope),
            user_agent=request.headers.get("user-agent", ""),
        )
        return Response(employee, cookies=session_cookies(request, token))

    @post("/logout", status_code=HTTP_204_NO_CONTENT)
    async def logout(self, actor: CurrentActor) -> Response[None]:
        """End the current session."""
        await services.logout(actor)
        return Response(None, status_code=HTTP_204_NO_CONTENT, cookies=[clear_session_cookie()])

    @get("/me")
    async def me(self, actor: CurrentActor) -> EmployeeOut:
        """The logged-in employee with roles and effective permissions."""
        return await StaffService(actor).get_employee(actor.employee_id)

    @post("/password", status_code=HTTP_204_NO_CONTENT)
    async def change_password(
        self, request: Request[Any, Any, Any], actor: CurrentActor, data: JSONBody[PasswordChangeIn]
    ) -> Response[None]:
        """Change one's password; other sessions end."""
        token = await services.change_password(
            actor,
            data.current_password,
            data.new_password,
            user_agent=request.headers.get("user-agent", ""),
        )
        return Response(
            None, status_code=HTTP_204_NO_CONTENT, cookies=session_cookies(request, token)
        )

    @put("/language", status_code=HTTP_204_NO_CONTENT)
    async def set_language(self, actor: CurrentActor, data: JSONBody[LanguageIn]) -> Response[None]:
        """Choose the UI language."""
        await services.set_language(actor, data.language)
        cookie = Cookie(key=LANGUAGE_COOKIE, value=data.language, path="/", samesite="lax")
        return Response(None, status_code=HTTP_204_NO_CONTENT, cookies=[cookie])

    @get("/sessions")
    async def sessions(self, actor: CurrentActor) -> SessionList:
        """One's live sessions."""
        return SessionList(items=await services.list_sessions(actor))

    @delete("/sessions/{session_id:str}")
    async def end_session(self, actor: CurrentActor, session_id: SessionId) -> None:
        """End one of one's sessions."""
        await services.end_session(actor, session_id)

    @post("/logout-everywhere", status_code=200)
    async def logout_everywhere(
        self, actor: CurrentActor, data: JSONBody[LogoutEverywhereIn]
    ) -> dict[str, int]:
        """End all of one's sessions (optionally keeping this one)."""
        return {"ended": await services.end_all_sessions(actor, keep_current=data.keep_current)}
