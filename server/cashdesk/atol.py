"""ATOL's web server for its online cash registers (the driver's JSON task protocol):
POST /api/v2/requests {"uuid", "request": [task]} queues a task under the caller's uuid (201;
409 when a task with that uuid exists already), GET /api/v2/requests/<uuid> answers
{"results": [{"status", "errorCode", "errorDescription", "result": {"fiscalParams": ...}}]}
with the status wait | inProgress | ready | error (and interrupted, blocked, canceled)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

DONE = "ready"
FAILED = frozenset({"error", "interrupted", "blocked", "canceled"})


class RegisterUnreachable(Exception):
    """The web server did not answer in time, or answered what the protocol does not say."""


@dataclass(frozen=True)
class TaskResult:
    """Where a task stands at the register."""

    status: str
    fiscal: dict[str, Any] = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True)
class AtolWebServer:
    """A client of one register's web server."""

    url: str
    timeout: float

    async def register(self, uuid: str, task: dict[str, Any]) -> None:
        """Queue the task under `uuid`; a task already queued under it is the same task."""
        answer = await self._call("POST", "/api/v2/requests", {"uuid": uuid, "request": [task]})
        if answer.status_code not in (200, 201, 409):
            raise RegisterUnreachable(f"the register answered {answer.status_code}")

    async def result(self, uuid: str) -> TaskResult:
        """The task's status, with its fiscal data once ready or the register's error."""
        answer = await self._call("GET", f"/api/v2/requests/{uuid}", None)
        if answer.status_code == 404:
            return TaskResult("unknown")
        try:
            first = answer.json()["results"][0]
        except (ValueError, KeyError, IndexError, TypeError) as broken:
            raise RegisterUnreachable("the register's answer has no results") from broken
        status = str(first.get("status", ""))
        fiscal = ((first.get("result") or {}).get("fiscalParams")) or {}
        said = "" if status == DONE else str(first.get("errorDescription") or "")
        return TaskResult(status, fiscal if status == DONE else {}, said)

    async def _call(self, method: str, path: str, body: dict[str, Any] | None) -> httpx.Response:
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as http:
                return await http.request(method, self.url + path, json=body)
        except httpx.HTTPError as error:
            raise RegisterUnreachable(f"{type(error).__name__}: {error}") from error
